using Bot.Core.Storage;
using Bot.OpenAI.Responses;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>Background responses (OpenAI:Background): cut streams resumed with starting_after, failed resumes, refusal, cancel.</summary>
public sealed class BackgroundStreamTests
{
    private const string Interrupted = "⚠️ The answer was interrupted before it finished, so it may be incomplete. Please ask again.";
    private const int BackgroundUnsupportedEvent = 3010;

    private static readonly string s_longAnswer = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"word{i}")) + ". The end.";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamCutEveryFewEvents_ManyTimesInOneAnswer_TheAnswerIsCompleteAndExact(bool reset)
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.CutStreamsEvery = 4;
        bot.Server.CutByReset = reset;
        bot.Server.Enqueue(FakeResponse.Stream().Text(s_longAnswer));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "talk"));

        Assert.Equal(s_longAnswer, bot.Channel.Replies.Single().Text);
        Assert.True(bot.Server.ResumeRequests.Count >= 10, $"only {bot.Server.ResumeRequests.Count} resumes");
        var after = bot.Server.ResumeRequests.Select(r => r.StartingAfter).ToList();
        Assert.All(after, a => Assert.NotNull(a));
        Assert.Equal(after.OrderBy(a => a).Distinct(), after); // always after the last event seen, never back
        Assert.Single(bot.Server.ResponseRequests); // resumed, never asked again
        Assert.True(bot.Server.ResponseRequests[0].Background);
    }

    [Fact]
    public async Task StreamStalledPastTheNetworkTimeout_IsResumed()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.NetworkTimeout = TimeSpan.FromSeconds(1));
        bot.Server.Enqueue(FakeResponse.Stream().Text("Before the pause,").Delay(TimeSpan.FromSeconds(3)).Text(" and after it."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q"));

        Assert.Equal("Before the pause,\n\n and after it.", bot.Channel.Replies.Single().Text);
        Assert.NotEmpty(bot.Server.ResumeRequests);
    }

    public static TheoryData<string> ResumeFaults => ["404", "500", "beyond"];

    [Theory]
    [MemberData(nameof(ResumeFaults))]
    public async Task ResumeThatKeepsFailing_IsTriedABoundedNumberOfTimes_ThenOneSentence_AndTheConversationStaysUsable(string fault)
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.MaxRetries = 0);
        bot.Server.Enqueue(FakeResponse.Stream().Text(s_longAnswer), FakeResponse.Stream().Text("Fine now."));
        bot.Server.CutOnceAfter(8);
        switch (fault)
        {
            case "404":
                bot.Server.FailNext("GET", "/responses/", 404, times: ResumableResponseStream.MaxTries, message: "Response not found.");
                break;
            case "500":
                bot.Server.FailNext("GET", "/responses/", 500, times: ResumableResponseStream.MaxTries);
                break;
            default:
                bot.Server.LoseStoredEvents = true;
                break;
        }

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "q1"));
        var resumes = bot.Server.RequestLog.Count(r => r.StartsWith("GET /v1/responses/", StringComparison.Ordinal));
        Assert.Equal(ResumableResponseStream.MaxTries, resumes);
        Assert.EndsWith(Interrupted, bot.Channel.Replies[0].Text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((await bot.Core.Store.GetTurnAsync(1))?.Error));

        bot.Server.LoseStoredEvents = false;
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));
        Assert.Equal("Fine now.", bot.Channel.Replies[1].Text);
        Assert.Equal(0, bot.Server.ConversationConflicts);
    }

    [Fact]
    public async Task EndpointThatRejectsBackground_GetsPlainStreaming_NoticedAndLoggedOnce()
    {
        var logger = new ListLogger<ResponsesBackend>();
        await using var bot = await ResponsesHarness.StartAsync(logger: logger);
        bot.Server.RejectBackground = true;
        bot.Server.Enqueue(FakeResponse.Stream().Text("One."), FakeResponse.Stream().Text("Two."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q1"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q2"));

        Assert.Equal(["One.", "Two."], bot.Channel.Replies.Select(r => r.Text));
        Assert.Equal(1, bot.Server.BackgroundRejections);
        Assert.All(bot.Server.ResponseRequests, r => Assert.False(r.Background));
        Assert.Equal(1, logger.Count(BackgroundUnsupportedEvent));
    }

    [Fact]
    public async Task BackgroundOff_RequestsArePlainlyStreamed()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Background = false);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Plain."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "q"));

        Assert.False(bot.Server.ResponseRequests.Single().Background);
        Assert.True(bot.Server.ResponseRequests.Single().Stream);
    }

    [Fact]
    public async Task CancelResponseAsync_EndsTheResponseCancelled_AndCancellingAgainOrAnUnknownOneSucceeds()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        var firstText = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Channel.OnWrite = (_, write) =>
        {
            if (write.Text.Contains("Thinking", StringComparison.Ordinal))
                firstText.TrySetResult();
        };
        bot.Server.Enqueue(FakeResponse.Stream().Text("Thinking").Delay(TimeSpan.FromSeconds(60)).Text(" never"), FakeResponse.Stream().Text("Next."));
        var accepted = await bot.Core.Service.AcceptAsync(bot.Channel.Message("c1", "long one", "m1"));
        await firstText.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var responseId = bot.Server.ResponseRequests.Single().ResponseId!;

        await bot.Core.Backend.CancelResponseAsync(responseId);

        Assert.Equal("cancelled", bot.Server.ResponseStatus(responseId));
        await bot.Core.Backend.CancelResponseAsync(responseId);
        await bot.Core.Backend.CancelResponseAsync("resp_unknown");
        Assert.NotEqual(TurnStatus.Completed, await accepted.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "next"));
    }
}
