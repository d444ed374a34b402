using System.Globalization;
using System.Text;
using System.Text.Json;
using Bot.Testing.Teams;

namespace Bot.Benchmarks.Teams;

/// <summary>What the Teams scenario measured (serialized by the child, read by the orchestrator).</summary>
internal sealed record TeamsResult(
    int Conversations,
    int Finals,
    double WallSeconds,
    Distribution InformativeMs,
    Distribution InformativeFromSendMs,
    Distribution FirstTextMs,
    Distribution UpdatesPerSecond,
    Distribution UpdateGapMs,
    Distribution RequestsPerSecondPerConversation,
    int Status429,
    int Failed,
    int TokenIntervalMs,
    int Tokens);

internal sealed partial class TeamsScenario
{
    private static TeamsResult Measure(List<ConnectorRequest> requests, Dictionary<string, DateTimeOffset> sent,
        IReadOnlyDictionary<string, DateTimeOffset> arrivals, TimeSpan wall, int throttled, BenchmarkOptions options)
    {
        var informative = new List<double>();
        var informativeFromSend = new List<double>();
        var firstText = new List<double>();
        var rates = new List<double>();
        var gaps = new List<double>();
        var perConversation = new List<double>();
        var finals = 0;
        foreach (var chat in requests.GroupBy(r => r.ConversationId))
        {
            if (!sent.TryGetValue(chat.Key, out var at))
                continue;
            var list = chat.OrderBy(r => r.At).ToList();
            if (list.FirstOrDefault(r => r.StreamType == "informative") is { } info)
            {
                informativeFromSend.Add((info.At - at).TotalMilliseconds);
                if (arrivals.TryGetValue(chat.Key, out var arrived))
                    informative.Add((info.At - arrived).TotalMilliseconds);
            }

            var updates = list.Where(r => r.StreamType == "streaming" && r.Succeeded).ToList();
            if (updates.Count > 0)
                firstText.Add((updates[0].At - at).TotalMilliseconds);
            if (updates.Count >= 3)
                rates.Add((updates.Count - 1) / (updates[^1].At - updates[0].At).TotalSeconds);
            for (var i = 1; i < updates.Count; i++)
                gaps.Add((updates[i].At - updates[i - 1].At).TotalMilliseconds);
            var span = (list[^1].At - list[0].At).TotalSeconds;
            if (span > 0)
                perConversation.Add(list.Count / span);
            finals += list.Count(r => r.StreamType == "final" && r.Succeeded);
        }

        return new TeamsResult(sent.Count, finals, wall.TotalSeconds, Distribution.Of(informative), Distribution.Of(informativeFromSend), Distribution.Of(firstText), Distribution.Of(rates),
            Distribution.Of(gaps), Distribution.Of(perConversation), throttled + requests.Count(r => r.Status == 429),
            requests.Count(r => !r.Succeeded), options.TokenIntervalMs, Math.Max(options.Tokens, Tokens));
    }

    public string Section(JsonElement result)
    {
        var r = result.Deserialize<TeamsResult>()!;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"### Teams: {r.Conversations} concurrent personal chats, streamed ({r.Tokens} tokens at {r.TokenIntervalMs} ms, {r.Finals} final messages, {MarkdownTable.Format(r.WallSeconds)} s)\n\n");
        text.Append("Signed activities on /api/messages; the Bot Framework fake enforces 7 writes/s per thread and one stream request per second (429 otherwise). ")
            .Append("Times end when the Connector fake received the request; they start when the activity reached the bot's HTTP pipeline ")
            .Append("(\"reached\") or when the client sent it (\"sent\": includes the client's own queueing of 200 simultaneous posts); ")
            .Append("first streamed text counts from \"sent\".\n\n");
        var table = new MarkdownTable("measure", "p50", "p99", "max", "mean");
        void Row(string name, Distribution d) => table.Row(name, d.P50, d.P99, d.Max, d.Mean);
        Row("informative update after the activity reached the bot (ms)", r.InformativeMs);
        Row("informative update after the activity was sent (ms)", r.InformativeFromSendMs);
        Row("first streamed text (ms)", r.FirstTextMs);
        Row("streaming updates per second per stream", r.UpdatesPerSecond);
        Row("gap between streaming updates (ms)", r.UpdateGapMs);
        Row("Connector requests per second per conversation", r.RequestsPerSecondPerConversation);
        text.Append(table).Append('\n');

        var targets = new MarkdownTable("target", "measured", "met");
        targets.Row($"streaming updates 0.9–1 per second per stream at N = {r.Conversations}",
            $"p50 {MarkdownTable.Format(r.UpdatesPerSecond.P50)}, max {MarkdownTable.Format(r.UpdatesPerSecond.Max)}",
            r.UpdatesPerSecond.P50 is >= 0.9 and <= 1.0 && r.UpdatesPerSecond.Max <= 1.0 ? "yes" : "**no**");
        targets.Row("zero 429s", r.Status429.ToString(CultureInfo.InvariantCulture), r.Status429 == 0 ? "yes" : "**no**");
        targets.Row("informative update within 50 ms of the activity's arrival", $"p50 {MarkdownTable.Format(r.InformativeMs.P50)} ms, p99 {MarkdownTable.Format(r.InformativeMs.P99)} ms",
            r.InformativeMs.P99 <= 50 ? "yes" : r.InformativeMs.P50 <= 50 ? "p50 only" : "**no**");
        targets.Row("every chat answered", $"{r.Finals} of {r.Conversations}, {r.Failed} failed requests", r.Finals == r.Conversations && r.Failed == 0 ? "yes" : "**no**");
        text.Append(targets).Append('\n');
        return text.ToString();
    }
}
