using System.Text.Json;
using Bot.Core.Storage;
using Bot.OpenAI.Tests.Backends;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Assistants;

/// <summary>
/// The Assistants backend reading recorded run streams (tests/fixtures/openai) with the reader it shares with the
/// Responses backend, over HTTP to the loopback fake: streams that break off, event types it does not know, and
/// <c>error</c> events put into the recording (a stalled stream is one of <see cref="BackendFaultScenarios"/>).
/// </summary>
public sealed class RecordedRunStreamTests
{
    private const string TextRun = "assistants_run_stream_text.sse";

    // The recording's first 12 events: the run, its message step and message, and the first five text deltas.
    private const int Halfway = 12;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordedRun_BrokenOffHalfway_IsFinishedFromTheRunTheServiceCompleted(bool reset)
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI(TextRun)).CutAfter(Halfway, reset));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Say hello"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal(CompletedText(TextRun), reply.Text);
        Assert.Contains(bot.Server.RequestLog, r => r.StartsWith("GET /v1/threads/", StringComparison.Ordinal) && r.Contains("/runs/" + RunId(TextRun), StringComparison.Ordinal));
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Fact]
    public async Task RecordedRun_BrokenOffBeforeItNamedItsRun_SaysTheAnswerWasInterrupted()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI(TextRun)).CutAfter(0, reset: false), FakeResponse.Stream().Text("Whole answer."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q1"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        Assert.Equal(BackendFaultScenarios.Interrupted, bot.Channel.Replies[0].Text);
        Assert.Equal("Whole answer.", bot.Channel.Replies[1].Text);
    }

    [Fact]
    public async Task EventTypesTheBotDoesNotKnow_AreIgnored_AndTheRecordedTextShownExactly()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI(TextRun))
            .InsertEvent(1, "thread.run.step.reviewed", """{"id":"step_new","object":"thread.run.step.review","verdict":{"ok":true}}""")
            .InsertEvent(Halfway, "thread.message.annotated", "not JSON: nothing should parse an event it does not know"));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Say hello"));

        var expected = CompletedText(TextRun);
        Assert.Equal(expected, bot.Channel.Replies.Single().Text);
        Assert.Equal(expected, Deltas(TextRun, int.MaxValue));
    }

    /// <summary>An <c>error</c> event, in the spec's shape and wrapped in <c>{"error":…}</c>: its code decides the sentence.</summary>
    [Theory]
    [InlineData("""{"code":"server_error","message":"The server had an error.","param":null,"type":"server_error"}""", BackendFaultScenarios.Broken)]
    [InlineData("""{"error":{"code":"rate_limit_exceeded","message":"Rate limit reached.","param":null,"type":"requests"}}""", BackendFaultScenarios.Busy)]
    public async Task ErrorEventInARecordedRun_EndsTheTurnWithOneSentence_AfterTheTextSoFar(string error, string sentence)
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(
            FakeResponse.Replay(Fixtures.OpenAI(TextRun)).InsertEvent(Halfway, "error", error).CutAfter(Halfway, reset: false),
            FakeResponse.Stream().Text("Fine now."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q1"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        var partial = Deltas(TextRun, Halfway);
        Assert.Equal("Hello! I'm just a", partial);
        Assert.Equal(partial + "\n\n" + sentence, bot.Channel.Replies[0].Text);
        Assert.Equal("Fine now.", bot.Channel.Replies[1].Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    // The recorded events of a fixture: (type, data).
    private static List<(string Type, string Data)> Events(string fixture)
    {
        var events = new List<(string, string)>();
        foreach (var block in File.ReadAllText(Fixtures.OpenAI(fixture)).Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            events.Add((lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..], lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..]));
        }

        return events;
    }

    // The text the first `count` recorded events stream as message deltas (read independently of the bot).
    private static string Deltas(string fixture, int count) => string.Concat(Events(fixture).Take(count)
        .Where(e => e.Type == "thread.message.delta")
        .SelectMany(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetProperty("content").EnumerateArray())
        .Select(c => c.TryGetProperty("text", out var text) && text.TryGetProperty("value", out var value) ? value.GetString() : null));

    // The final text of a recorded run, read from its thread.message.completed events.
    private static string CompletedText(string fixture) => string.Join("\n\n", Events(fixture)
        .Where(e => e.Type == "thread.message.completed")
        .SelectMany(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("content").EnumerateArray())
        .Select(c => c.GetProperty("text").GetProperty("value").GetString()));

    private static string RunId(string fixture) =>
        JsonDocument.Parse(Events(fixture).First(e => e.Type == "thread.run.created").Data).RootElement.GetProperty("id").GetString()!;
}
