using Bot.Core.Storage;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Responses;

public sealed class ResponsesFaultTests
{
    private const string Busy = "⚠️ The assistant service is busy right now. Please try again in a minute.";
    private const string Broken = "⚠️ The assistant ran into an error and couldn't finish this answer. Please try again.";
    private const string Interrupted = "⚠️ The answer was interrupted before it finished, so it may be incomplete. Please ask again.";

    [Fact]
    public async Task ErrorEventMidStream_IsAnError_NotATruncatedAnswerShownAsComplete()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Text("The first half").ErrorEvent("server_error", "The model crashed."), FakeResponse.Stream().Text("Fine now."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q1"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        Assert.Equal("The first half\n\n" + Broken, bot.Channel.Replies[0].Text);
        Assert.Equal("Fine now.", bot.Channel.Replies[1].Text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamCutWithoutATerminalEvent_IsAnError(bool reset)
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Text("Half an answer").Cut(reset), FakeResponse.Stream().Text("Whole answer."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q1"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        Assert.Equal("Half an answer\n\n" + Interrupted, bot.Channel.Replies[0].Text);
        Assert.False(string.IsNullOrEmpty((await bot.Core.Store.GetTurnAsync(1))?.Error), "the log detail is recorded with the turn");
    }

    [Fact]
    public async Task RateLimitWithRetryAfter_IsRetriedAfterTheWait_ThenAnswered()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.HttpError(429, "Rate limit reached for requests", "rate_limit_exceeded", TimeSpan.FromSeconds(1)),
            FakeResponse.Stream().Text("Here you go."));

        var started = DateTimeOffset.UtcNow;
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.9), "Retry-After was not honoured");
        Assert.Equal(2, bot.Server.RequestLog.Count(r => r == "POST /v1/responses"));
        Assert.Equal("Here you go.", bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task PersistentServerErrors_AreRetriedWithBackoff_ThenOneSentence()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.MaxRetries = 2);
        bot.Server.Enqueue(
            FakeResponse.HttpError(500, "The server had an error"),
            FakeResponse.HttpError(502, "Bad gateway"),
            FakeResponse.HttpError(500, "The server had an error"),
            FakeResponse.Stream().Text("Recovered."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal(Broken, bot.Channel.Replies[0].Text);
        Assert.Equal(4, bot.Server.RequestLog.Count(r => r == "POST /v1/responses"));
    }

    [Fact]
    public async Task PersistentRateLimit_SaysTheServiceIsBusy()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.MaxRetries = 1);
        bot.Server.Enqueue(FakeResponse.HttpError(429, "Rate limit reached", "rate_limit_exceeded"), FakeResponse.HttpError(429, "Rate limit reached", "rate_limit_exceeded"));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(Busy, bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task FailedResponse_IsOneSentence()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Failed("server_error", "Something broke upstream."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(Broken, bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task IncompleteResponse_KeepsTheTextAndSaysItStoppedEarly()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Text("A long story that").Incomplete("max_output_tokens"));

        Assert.Equal(TurnStatus.Incomplete, await bot.AskAsync("c1", "tell me a story"));
        Assert.Equal("A long story that\n\n⚠️ The answer stopped early: it reached the length limit.", bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task WrongApiKey_TellsTheOperatorToCheckTheConfiguration()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.ApiKey = "sk-revoked");
        bot.Server.FailNext("POST", "/v1/conversations", 401, message: "Incorrect API key provided: sk-revo*****.");

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Contains("credentials", bot.Channel.Replies[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableService_IsOneSentence()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => { o.Endpoint = "http://127.0.0.1:9/v1/"; o.MaxRetries = 0; });

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "hi"));
        Assert.Equal("⚠️ I couldn't reach the assistant service. Please try again in a moment.", bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task FailedUpload_WarnsAboutTheFile_AndTheQuestionIsStillAnswered()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.MaxRetries = 0);
        bot.Channel.AttachmentContents["f"] = "1,2"u8.ToArray();
        bot.Server.FailNext("POST", "/v1/files", 500);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Answer without the file."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "plot", attachments: [new("data.csv", null, 3, "f")]));
        Assert.Equal("⚠️ I skipped **data.csv**: the assistant service did not accept it.\n\nAnswer without the file.", bot.Channel.Replies[0].Text);
    }
}
