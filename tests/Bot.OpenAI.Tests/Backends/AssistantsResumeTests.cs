using System.ClientModel;
using System.ClientModel.Primitives;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.OpenAI.Tests.Responses;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;
using OpenAI.Assistants;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>
/// The Assistants backend after a restart: a run the earlier process started (and then died) goes on at the service,
/// so ResumeTurnAsync follows it to its end and renders its messages; Stop cancels it by its run id.
/// </summary>
public sealed class AssistantsResumeTests
{
    private const string Answer = "A run goes on without its stream, and this is all of its answer.";

    [Fact]
    public async Task RunLeftByAnEarlierProcess_IsFollowedToItsEnd_AndItsAnswerRendered()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        var (thread, runId) = await LeaveRunningAsync(bot, FakeResponse.Stream().Text(Answer).TokenInterval(TimeSpan.FromMilliseconds(20)));
        await bot.RestartAsync();

        var checkpoint = new TurnCheckpoint();
        var events = new List<AssistantEvent>();
        await foreach (var e in bot.Backend.ResumeTurnAsync(new ResumeRequest(thread, runId), checkpoint).WithCancellation(Timeout()))
            events.Add(e);

        Assert.Equal(Answer, ResumeTurnTests.TextOf(events));
        Assert.Equal(new TurnFinished(), events[^1]);
        Assert.Equal("completed", bot.Server.RunStatus(thread.RemoteConversationId!, runId));
        Assert.Equal(runId, checkpoint.ResponseId);
        Assert.True(checkpoint.Resumable);
    }

    [Fact]
    public async Task RunLeftWaitingForAToolThatIsNotIdempotent_ToolStepLost_NotRunAgain()
    {
        var transfer = new DelegateFunctionTool("transfer_money", (_, _) => Task.FromResult("done"));
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants, tools: [transfer]);
        var (thread, runId) = await LeaveRunningAsync(bot, FakeResponse.Stream().FunctionCall("transfer_money", "{}"));
        await bot.RestartAsync();

        var failure = await Assert.ThrowsAsync<AssistantFailureException>(async () =>
        {
            await foreach (var _ in bot.Backend.ResumeTurnAsync(new ResumeRequest(thread, runId, "transfer_money"), new TurnCheckpoint()).WithCancellation(Timeout()))
            {
            }
        });

        Assert.Equal(FailureKind.ToolStepLost, failure.Kind);
        Assert.Equal("transfer_money", failure.Message);
        Assert.Equal(0, transfer.Calls);
    }

    [Fact]
    public async Task CancelResponseAsync_OfAFollowedRun_CancelsTheRun()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        var (thread, runId) = await LeaveRunningAsync(bot, FakeResponse.Stream().Text("Slow").Delay(TimeSpan.FromSeconds(60)).Text(" never"));
        await bot.RestartAsync();
        using var stop = new CancellationTokenSource();
        var following = Task.Run(async () =>
        {
            await foreach (var _ in bot.Backend.ResumeTurnAsync(new ResumeRequest(thread, runId), new TurnCheckpoint()).WithCancellation(stop.Token))
            {
            }
        });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!bot.Server.RequestLog.Any(r => r.EndsWith($"/runs/{runId}", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        await bot.Backend.CancelResponseAsync(runId);

        Assert.Contains(bot.Server.RunStatus(thread.RemoteConversationId!, runId), new[] { "cancelling", "cancelled" });
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => following);
    }

    /// <summary>A run the earlier process started on the conversation's thread and left when it died (no stream, nothing cancelled).</summary>
    private static async Task<(RemoteThread Thread, string RunId)> LeaveRunningAsync(BackendHarness bot, FakeResponse script)
    {
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hello"));
        var threadId = bot.RemoteConversations.Single();
        bot.Server.Enqueue(script);
        var client = new AssistantClient(new ApiKeyCredential(FakeOpenAIServer.ApiKey),
            new AssistantClientOptions { Endpoint = bot.Server.BaseUri, RetryPolicy = new ClientRetryPolicy(0) });
        await client.CreateMessageAsync(threadId, MessageRole.User, [MessageContent.FromText("the long one")]);
        ThreadRun run = await client.CreateRunAsync(threadId, bot.Server.Ledger.CreatedAssistants.Single());
        var thread = new RemoteThread(new ConversationRecord(1, new ConversationKey("test", "c1"), ApiKinds.Assistants, threadId, null,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null), bot.Core.Store, []);
        return (thread, run.Id);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
