using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Tests.Telemetry;

/// <summary>The Prometheus scrape endpoint after a real web chat turn, and what must never reach metrics, spans or logs.</summary>
public sealed class MetricsAndTracesTests
{
    // A recognisable message text: it must show up in the chat and nowhere in telemetry.
    private const string MessageText = "purple-giraffe-7731 please keep this between us";

    [Fact]
    public async Task AfterOneWebTurn_TheManagementScrapeShowsTheTurnItsTokensAndTheTimeToFirstText_AndNoSecretLeaks()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        const string answer = "Forty-two, said the fake model.";
        openAI.Enqueue(FakeResponse.Stream().Text(answer));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Bot.", StringComparison.Ordinal) || source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new LogCollector();
        var management = LoopbackHost.FreePort();

        await using var server = await ServerUnderTest.StartAsync(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Web:Enabled", "true",
            "--Web:DataPath", folder.File("web"),
            "--Telemetry:Prometheus", "true",
            "--Telemetry:ManagementUrls", $"http://127.0.0.1:{management}",
            "--Logging:LogLevel:Default", "Information",
        ], builder => builder.Logging.AddProvider(logs));

        var thread = await server.SendWebMessageAsync(MessageText);
        await server.WaitForAnswerAsync(thread, answer);

        // The public address has no /metrics; the management address has it, with the turn once it ended.
        Assert.Equal(HttpStatusCode.NotFound, (await server.TryGetAsync("/metrics"))?.Status);
        var scrape = "";
        await server.WaitUntilAsync(async () =>
        {
            scrape = (await server.TryGetAsync($"http://127.0.0.1:{management}/metrics"))?.Body ?? "";
            return Lines(scrape, "bot_turns_total{").Any(l => l.Contains("bot_channel=\"web\"", StringComparison.Ordinal)
                && l.Contains("bot_turn_outcome=\"Completed\"", StringComparison.Ordinal));
        }, "the turn in the scrape");

        Assert.Contains(Lines(scrape, "gen_ai_client_token_usage_count{"), l => l.Contains("gen_ai_request_model=\"gpt-4.1-mini\"", StringComparison.Ordinal)
            && l.Contains("gen_ai_token_type=\"output\"", StringComparison.Ordinal));
        Assert.Contains(Lines(scrape, "gen_ai_client_token_usage_count{"), l => l.Contains("gen_ai_token_type=\"input\"", StringComparison.Ordinal));
        Assert.Contains(Lines(scrape, "bot_turn_time_to_first_text_seconds_count{"), l => l.Contains("bot_channel=\"web\"", StringComparison.Ordinal)
            && !l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(Lines(scrape, "bot_reply_writes_total{"), l => l.Contains("bot_channel=\"web\"", StringComparison.Ordinal));

        // Nothing recognisable in metric labels, span names, tags or events, or log lines.
        foreach (var secret in new[] { FakeOpenAIServer.ApiKey, "purple-giraffe", thread })
            Assert.DoesNotContain(secret, scrape, StringComparison.Ordinal);
        var turnSpan = Assert.Single(spans, s => s.Source.Name == "Bot.Core" && s.OperationName == "turn" && Equals(s.GetTagItem("bot.channel"), "web"));
        Assert.Equal(16, Assert.IsType<string>(turnSpan.GetTagItem("bot.conversation.hash")).Length);
        var accept = Assert.Single(spans, s => s.Source.Name == "Bot.Web" && s.OperationName == "web.accept");
        Assert.Contains(turnSpan.Links, l => l.Context.SpanId == accept.SpanId && l.Context.TraceId == accept.TraceId);
        Assert.Contains(spans, s => s.OperationName == "backend.stream" && s.TraceId == turnSpan.TraceId);
        Assert.Contains(spans, s => s.OperationName is "reply.post" or "reply.edit" && s.TraceId == turnSpan.TraceId);
        // The test's own requests to the bot are client spans in this process too; only the bot's own spans count.
        foreach (var span in spans.Where(s => s.GetTagItem("server.port") is not int port || (port != server.Port && port != management)))
        {
            var text = string.Join("\n", [span.DisplayName, .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"),
                .. span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))]);
            foreach (var secret in new[] { FakeOpenAIServer.ApiKey, "purple-giraffe", thread })
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.NotEmpty(logs.Lines);
        foreach (var line in logs.Lines)
        {
            Assert.DoesNotContain(FakeOpenAIServer.ApiKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain("purple-giraffe", line, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> Lines(string scrape, string prefix) =>
        scrape.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));
}
