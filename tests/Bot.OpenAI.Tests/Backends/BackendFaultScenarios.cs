using Bot.Core.Storage;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>Failures for both backends: failed, expired and incomplete runs, 429 and 5xx, error events, cut streams.</summary>
public sealed class BackendFaultScenarios
{
    internal const string Busy = "⚠️ The assistant service is busy right now. Please try again in a minute.";
    internal const string Broken = "⚠️ The assistant ran into an error and couldn't finish this answer. Please try again.";
    internal const string Interrupted = "⚠️ The answer was interrupted before it finished, so it may be incomplete. Please ask again.";

    public static TheoryData<string> Backends => BackendTurnScenarios.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task FailedRun_IsOneSentence_AndTheConversationGoesOn(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Failed("server_error", "Something broke upstream."), FakeResponse.Stream().Text("Fine now."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal(Broken, bot.Channel.Replies[0].Text);
        Assert.Equal("Fine now.", bot.Channel.Replies[1].Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task RateLimitedRun_SaysTheServiceIsBusy(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Failed("rate_limit_exceeded", "Rate limit reached."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(Busy, bot.Channel.Replies[0].Text);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task UnknownModel_TellsTheUserAnOperatorMustFixTheConfiguration(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.HttpError(404, "The model `gpt-nope` does not exist or you do not have access to it.", "model_not_found"),
            FakeResponse.Stream().Text("Fine now."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal("⚠️ The assistant service doesn't offer the model, assistant or API the bot is set up to use. " +
            "An operator needs to check the configuration.", bot.Channel.Replies[0].Text);
        Assert.Equal("Fine now.", bot.Channel.Replies[1].Text);
    }

    [Fact]
    public async Task ExpiredRun_IsOneSentence_AndTheThreadTakesTheNextMessage()
    {
        // Only the Assistants API has runs that expire (ten minutes without the tool outputs).
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Working on").Expired(), FakeResponse.Stream().Text("Done."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal("Working on\n\n" + Broken, bot.Channel.Replies[0].Text);
        Assert.Equal("Done.", bot.Channel.Replies[1].Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Fact]
    public async Task RunCancelledByTheService_KeepsTheTextAndSaysItStoppedEarly()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Half of it").Cancelled());

        Assert.Equal(TurnStatus.Incomplete, await bot.AskAsync("c1", "hi"));
        Assert.Equal("Half of it\n\n⚠️ The answer stopped early and is incomplete.", bot.Channel.Replies[0].Text);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task IncompleteRun_KeepsTheTextAndSaysItStoppedEarly(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Text("A long story that").Incomplete("max_output_tokens"));

        Assert.Equal(TurnStatus.Incomplete, await bot.AskAsync("c1", "tell me a story"));
        Assert.Equal("A long story that\n\n⚠️ The answer stopped early: it reached the length limit.", bot.Channel.Replies[0].Text);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task RateLimitWithRetryAfter_IsRetriedAfterTheWait_ThenAnswered(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.HttpError(429, "Rate limit reached for requests", "rate_limit_exceeded", TimeSpan.FromSeconds(1)),
            FakeResponse.Stream().Text("Here you go."));

        var started = DateTimeOffset.UtcNow;
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.9), "Retry-After was not honoured");
        Assert.Equal(2, bot.Requests.Count);
        Assert.Equal("Here you go.", bot.Channel.Replies.Single().Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PersistentServerErrors_AreRetried_ThenOneSentence_AndTheNextMessageIsAnswered(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.MaxRetries = 2);
        bot.Server.Enqueue(
            FakeResponse.HttpError(500, "The server had an error"),
            FakeResponse.HttpError(502, "Bad gateway"),
            FakeResponse.HttpError(500, "The server had an error"),
            FakeResponse.Stream().Text("Recovered."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal(Broken, bot.Channel.Replies[0].Text);
        Assert.Equal("Recovered.", bot.Channel.Replies[1].Text);
        Assert.Equal(4, bot.Requests.Count);
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PersistentRateLimit_SaysTheServiceIsBusy(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.MaxRetries = 1);
        bot.Server.Enqueue(FakeResponse.HttpError(429, "Rate limit reached", "rate_limit_exceeded"), FakeResponse.HttpError(429, "Rate limit reached", "rate_limit_exceeded"));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(Busy, bot.Channel.Replies[0].Text);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task ErrorEventMidStream_IsAnError_AndTheConversationGoesOn(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Text("The first half").ErrorEvent("server_error", "The model crashed."), FakeResponse.Stream().Text("Fine now."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q1"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        Assert.Equal("The first half\n\n" + Broken, bot.Channel.Replies[0].Text);
        Assert.Equal("Fine now.", bot.Channel.Replies[1].Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    /// <summary>
    /// A stream that stalls: the stream's idle timeout ends it. A response has no life without its stream; a run goes on,
    /// so the Assistants backend fetches it, sees it still running after the same timeout, and gives up too.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task StreamThatStalls_TimesOutAsAnInterruptedAnswer(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.NetworkTimeout = TimeSpan.FromSeconds(1));
        // A first turn warms both ends up, so that only the stall (not a cold start) can hit the one-second timeout.
        bot.Server.Enqueue(FakeResponse.Stream().Text("Warm."), FakeResponse.Stream().Text("Half").Delay(TimeSpan.FromSeconds(30)).Text("never"));
        await bot.AskAsync("c1", "warm up");

        var started = DateTimeOffset.UtcNow;
        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q"));

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15), "the stall was not detected");
        Assert.Equal("Half\n\n" + Interrupted, bot.Channel.Replies[1].Text);
        Assert.Equal(2, bot.Requests.Count);
    }

    /// <summary>
    /// A stream cut before its terminal event. A response has no life without its stream, so the user is told the
    /// answer broke off; a run goes on at the service, so the Assistants backend fetches it and shows its real end.
    /// </summary>
    [Theory]
    [InlineData(ApiKinds.Responses, true)]
    [InlineData(ApiKinds.Responses, false)]
    [InlineData(ApiKinds.Assistants, true)]
    [InlineData(ApiKinds.Assistants, false)]
    public async Task StreamCutWithoutATerminalEvent_IsHandledByTheRealOutcome(string api, bool reset)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Half an answer, and the rest of it.").Cut(reset), FakeResponse.Stream().Text("Whole answer."));

        var first = await bot.AskAsync("c1", "q1");
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        if (bot.IsAssistants)
        {
            Assert.Equal(TurnStatus.Completed, first);
            Assert.Equal("Half an answer, and the rest of it.", bot.Channel.Replies[0].Text);
        }
        else
        {
            Assert.Equal(TurnStatus.Failed, first);
            Assert.Equal("Half an answer, and the rest of it.\n\n" + Interrupted, bot.Channel.Replies[0].Text);
        }

        Assert.Equal("Whole answer.", bot.Channel.Replies[1].Text);
        Assert.Equal(0, bot.BusyRefusals);
    }
}
