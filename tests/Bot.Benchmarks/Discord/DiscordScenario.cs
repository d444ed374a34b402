using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing.Discord;

namespace Bot.Benchmarks.Discord;

/// <summary>The bot-added latency to the first visible text, with no rate limit in the way.</summary>
internal sealed record LatencyPhase(Distribution BotAddedMs);

/// <summary>Many conversations sharing Discord's buckets: how much of what the buckets allow was used, and 429s.</summary>
internal sealed record BudgetPhase(
    int Conversations,
    int Channels,
    int Completed,
    int RateLimited,
    int GlobalRateLimited,
    double WindowSeconds,
    double RequestsPerSecond,
    double EditsPerSecond,
    double AllowedPerSecond,
    string Binding,
    Distribution FirstVisibleMs);

internal sealed record DiscordResult(LatencyPhase Latency, BudgetPhase OneChannel, BudgetPhase Load, int EditIntervalMs);

/// <summary>
/// The Discord channel through the loopback fake Discord: (1) the bot-added latency from the first text delta leaving the
/// OpenAI fake to the reply being posted on the fake Discord; (2) ten conversations streaming in one channel, whose edits
/// share that channel's edit bucket (5 per second); (3) 1,000 conversations over 100 channels, bound by the global limit
/// (50 requests per second): requests per second against what the limits allow while the answers grow, and 429s.
/// </summary>
internal sealed class DiscordScenario : IChannelScenario
{
    private const int LatencySamples = 40;

    public string Name => "discord";

    public async Task<object> RunAsync(BenchmarkOptions options)
    {
        var editInterval = TimeSpan.FromMilliseconds(options.EditIntervalMs);
        var latency = await MeasureLatencyAsync(editInterval);
        var oneChannel = await MeasureBudgetAsync(editInterval, conversations: 10, channels: 1, tokens: 150);
        var load = await MeasureBudgetAsync(editInterval, conversations: 1000, channels: 100, tokens: 300);
        return new DiscordResult(latency, oneChannel, load, options.EditIntervalMs);
    }

    private static async Task<LatencyPhase> MeasureLatencyAsync(TimeSpan editInterval)
    {
        await using var bench = await DiscordBench.StartAsync(editInterval, tokens: 30, TimeSpan.FromMilliseconds(20));
        // Warm-up (JIT, connection pools), then one conversation at a time, each in a channel of its own.
        await AskOneByOneAsync(bench, "warm", LatencySamples);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var asked = await AskOneByOneAsync(bench, "bench latency", LatencySamples);

        var requests = bench.OpenAI.ResponseRequests;
        var latencies = new List<double>();
        foreach (var (question, message) in asked)
        {
            var request = requests.FirstOrDefault(r => r.UserText.EndsWith(question, StringComparison.Ordinal));
            if (request?.FirstTextDeltaAt is { } delta && bench.Reply(message) is { } reply)
                latencies.Add((reply.CreatedAt - delta).TotalMilliseconds);
        }

        return new LatencyPhase(Distribution.Of(latencies));
    }

    private static async Task<List<(string Question, JsonObject Message)>> AskOneByOneAsync(DiscordBench bench, string prefix, int count)
    {
        var asked = new List<(string, JsonObject)>();
        for (var i = 0; i < count; i++)
        {
            var question = $"{prefix} {i}";
            var message = await bench.AskAsync($"17{prefix.Length}0000000000000{i:D3}", question);
            asked.Add((question, message));
            await WaitAsync(() => bench.Reply(message) is not null, TimeSpan.FromSeconds(30));
            await Task.Delay(100);
        }

        return asked;
    }

    private static async Task<BudgetPhase> MeasureBudgetAsync(TimeSpan editInterval, int conversations, int channels, int tokens)
    {
        var tokenInterval = TimeSpan.FromMilliseconds(100);
        await using var bench = await DiscordBench.StartAsync(editInterval, tokens, tokenInterval);
        var answer = Answers.Long(tokens);
        var started = DateTimeOffset.UtcNow;
        var messages = new List<JsonObject>();
        for (var i = 0; i < conversations; i++)
            messages.Add(await bench.AskAsync($"16000000000000{i % channels:D5}", $"bench budget {i}"));

        await WaitAsync(() => messages.All(m => bench.Reply(m) is { HasStopButton: false } r && r.Content == answer), TimeSpan.FromMinutes(10));
        var replies = messages.Select(m => bench.Reply(m)!).ToList();
        var firstDeltas = bench.OpenAI.ResponseRequests.Select(r => r.FirstTextDeltaAt).OfType<DateTimeOffset>().ToList();

        // The window in which every answer is growing: all first posts are out (their bucket allows 5 per 5 s per
        // channel, so with many conversations per channel they take a while) until the first stream ends.
        var streamEnd = firstDeltas.Min() + (tokenInterval * tokens) - TimeSpan.FromMilliseconds(500);
        var postsOut = conversations / channels > 5 ? replies.Max(r => r.CreatedAt) : started + TimeSpan.FromSeconds(2);
        var (from, to) = channels == 1 ? (postsOut, streamEnd) : (started + TimeSpan.FromSeconds(2), streamEnd);
        var inWindow = bench.Discord.Requests.Where(r => r.At >= from && r.At < to && !r.Path.StartsWith("/interactions", StringComparison.Ordinal)).ToList();
        var seconds = Math.Max((to - from).TotalSeconds, 0.001);
        var edits = inWindow.Count(r => r.Route == "PATCH /channels/:id/messages/:id");

        // What the limits allow: the channels' edit buckets, the global limit, and the cadence the bot asks for.
        var editRule = bench.Discord.RateLimits.Rules["PATCH /channels/:id/messages/:id"];
        var bucketAllows = channels * editRule.Limit / editRule.Window.TotalSeconds;
        var cadence = conversations / editInterval.TotalSeconds;
        var global = bench.Discord.RateLimits.GlobalLimit;
        var (allowed, binding, used) = channels == 1
            ? (Math.Min(bucketAllows, cadence), "the channel's edit bucket", edits / seconds)
            : (Math.Min(global, cadence), "the global limit", inWindow.Count / seconds);

        return new BudgetPhase(conversations, channels, replies.Count(r => r.Content == answer), bench.Discord.RateLimitedCount,
            bench.Discord.GlobalRateLimitedCount, seconds, used,
            edits / seconds, allowed, binding, Distribution.Of(messages.Select((m, i) => (replies[i].CreatedAt - started).TotalMilliseconds)));
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The Discord scenario did not finish in time.");
            await Task.Delay(20);
        }
    }

    public string Section(JsonElement result)
    {
        var r = result.Deserialize<DiscordResult>(ScenarioChild.Json)!;
        var text = new StringBuilder();
        text.Append("## Discord channel\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Through the loopback fake Discord (gateway + REST with Discord-like buckets: 5 posts per 5 s and 5 edits per 1 s per channel, 50 requests per second in all, 429 beyond) and an in-process OpenAI fake, edit interval {r.EditIntervalMs} ms, answers at 10 tokens/s. ");
        text.Append("Conversations in one channel share its buckets (conversation scope User).\n\n");
        text.Append(new MarkdownTable("phase", "conversations", "channels", "completed", "429s (global)", "window s", "requests/s used", "edits/s", "allowed/s (binding)", "use", "first visible p50 ms")
            .Row("one channel", r.OneChannel.Conversations, r.OneChannel.Channels, r.OneChannel.Completed, $"{r.OneChannel.RateLimited} ({r.OneChannel.GlobalRateLimited})", r.OneChannel.WindowSeconds,
                r.OneChannel.RequestsPerSecond, r.OneChannel.EditsPerSecond, $"{MarkdownTable.Format(r.OneChannel.AllowedPerSecond)} ({r.OneChannel.Binding})",
                r.OneChannel.RequestsPerSecond / r.OneChannel.AllowedPerSecond, r.OneChannel.FirstVisibleMs.P50)
            .Row("1,000 over 100 channels", r.Load.Conversations, r.Load.Channels, r.Load.Completed, $"{r.Load.RateLimited} ({r.Load.GlobalRateLimited})", r.Load.WindowSeconds,
                r.Load.RequestsPerSecond, r.Load.EditsPerSecond, $"{MarkdownTable.Format(r.Load.AllowedPerSecond)} ({r.Load.Binding})",
                r.Load.RequestsPerSecond / r.Load.AllowedPerSecond, r.Load.FirstVisibleMs.P50));
        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture,
            $"Bot-added latency to the first visible text (first delta leaves the OpenAI fake → reply posted on the fake Discord), {r.Latency.BotAddedMs.Count} conversations one at a time: p50 {MarkdownTable.Format(r.Latency.BotAddedMs.P50)} ms, p99 {MarkdownTable.Format(r.Latency.BotAddedMs.P99)} ms.\n\n");
        text.Append("| target | measured | met |\n| --- | --- | --- |\n");
        Target(text, "zero 429s with 1,000 conversations over 100 channels", $"{r.Load.RateLimited}", r.Load.RateLimited == 0 && r.OneChannel.RateLimited == 0);
        var use = Math.Min(r.OneChannel.RequestsPerSecond / r.OneChannel.AllowedPerSecond, r.Load.RequestsPerSecond / r.Load.AllowedPerSecond);
        Target(text, "while text grows, ≥ 0.9 of what the buckets allow", MarkdownTable.Format(use), use >= 0.9);
        Target(text, "bot-added latency to first visible text p50 ≤ 20 ms", $"{MarkdownTable.Format(r.Latency.BotAddedMs.P50)} ms", r.Latency.BotAddedMs.P50 <= 20);
        return text.ToString();
    }

    private static void Target(StringBuilder text, string target, string measured, bool met) =>
        text.Append(CultureInfo.InvariantCulture, $"| {target} | {measured} | {(met ? "yes" : "no")} |\n");
}
