using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Bot.OpenAI.Responses;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// ResumeTurnAsync of the Responses backend: a turn one process left (it died mid-answer) finished by another backend
/// instance (the restarted process) from the stored response: streamed again from its start while it runs, rendered from
/// its final state once it ended, with its function calls re-run only when idempotent.
/// </summary>
public sealed class ResumeTurnTests
{
    private const string Answer = "The first half of the answer, and then the second half of it.";

    [Fact]
    public async Task InProgressResponse_IsStreamedAgainFromItsStart_AndFollowedToItsEnd()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        var (thread, checkpoint) = await DieMidAnswerAsync(bot, e => e is TextDelta,
            FakeResponse.Stream().Text(Answer).TokenInterval(TimeSpan.FromMilliseconds(40)));
        Assert.True(checkpoint.Resumable);
        Assert.True(checkpoint.SequenceNumber > 0);
        Assert.Equal("in_progress", bot.Server.ResponseStatus(checkpoint.ResponseId!));

        var resumed = new TurnCheckpoint();
        var events = await ResumeAsync(NewProcess(bot), thread, checkpoint.ResponseId!, resumed);

        Assert.Equal(Answer, TextOf(events));
        Assert.IsType<TurnFinished>(events[^1]);
        Assert.False(((TurnFinished)events[^1]).Incomplete);
        Assert.Contains((checkpoint.ResponseId!, (long?)null), bot.Server.ResumeRequests);
        Assert.Equal(checkpoint.ResponseId, resumed.ResponseId);
        Assert.True(resumed.SequenceNumber > checkpoint.SequenceNumber);
        Assert.Equal(2, bot.Server.ResponseRequests.Count);
    }

    [Fact]
    public async Task CompletedResponse_IsRenderedFromItsFinalState_WithoutStreamingOrAskingAgain()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        var (thread, checkpoint) = await DieMidAnswerAsync(bot, e => e is TextDelta,
            FakeResponse.Stream().Text(Answer).TokenInterval(TimeSpan.FromMilliseconds(5)));
        Assert.Equal("completed", await bot.Server.ResponseEndedAsync(checkpoint.ResponseId!));
        var resumesBefore = bot.Server.ResumeRequests.Count;

        var events = await ResumeAsync(NewProcess(bot), thread, checkpoint.ResponseId!, new TurnCheckpoint());

        Assert.Equal(Answer, TextOf(events));
        Assert.Equal(checkpoint.ResponseId, Assert.IsType<ResponseStarted>(events[0]).ResponseId);
        Assert.Contains(events, e => e is UsageReported { Usage.OutputTokens: > 0 });
        Assert.Equal(new TurnFinished(), events[^1]);
        Assert.Equal(resumesBefore, bot.Server.ResumeRequests.Count);
        Assert.Equal(2, bot.Server.ResponseRequests.Count);
    }

    [Fact]
    public async Task CompletedWithFunctionCalls_IdempotentTool_IsRunOnceMore_AndTheTurnGoesOn()
    {
        var lookup = new DelegateFunctionTool("lookup", (_, _) => Task.FromResult("42"), idempotent: true);
        await using var bot = await ResponsesHarness.StartAsync(tools: [lookup]);
        // The process dies as it is about to run the tool: the response has ended with its call.
        var (thread, checkpoint) = await DieMidAnswerAsync(bot, e => e is ToolActivity { Running: true },
            FakeResponse.Stream().FunctionCall("lookup", "{}"), FakeResponse.Stream().Text("The answer is 42."));
        Assert.Equal(0, lookup.Calls);

        var resumed = new TurnCheckpoint();
        var events = await ResumeAsync(NewProcess(bot, lookup), thread, checkpoint.ResponseId!, resumed);

        Assert.Equal(1, lookup.Calls);
        Assert.Equal("The answer is 42.", TextOf(events));
        Assert.Equal(new TurnFinished(), events[^1]);
        Assert.Equal(3, bot.Server.ResponseRequests.Count);
        Assert.Equal(bot.Server.ResponseRequests[2].ResponseId, resumed.ResponseId);
        Assert.Null(resumed.RunningTool);
    }

    [Fact]
    public async Task CompletedWithFunctionCalls_ToolThatIsNotIdempotent_IsNotRunAgain_ToolStepLost()
    {
        var transfer = new DelegateFunctionTool("transfer_money", (_, _) => Task.FromResult("done"));
        await using var bot = await ResponsesHarness.StartAsync(tools: [transfer]);
        var (thread, checkpoint) = await DieMidAnswerAsync(bot, e => e is ToolActivity { Running: true },
            FakeResponse.Stream().FunctionCall("transfer_money", """{"amount":10}"""));

        var failure = await Assert.ThrowsAsync<AssistantFailureException>(() =>
            ResumeAsync(NewProcess(bot, transfer), thread, checkpoint.ResponseId!, new TurnCheckpoint(), "transfer_money"));

        Assert.Equal(FailureKind.ToolStepLost, failure.Kind);
        Assert.Contains("transfer_money", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, transfer.Calls);
        Assert.Equal(2, bot.Server.ResponseRequests.Count);
    }

    [Fact]
    public async Task ResponseTheServiceNoLongerHas_IsAStreamCut()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hello"));
        var thread = Thread(bot, bot.Server.Ledger.CreatedConversations.Single());

        var failure = await Assert.ThrowsAsync<AssistantFailureException>(() =>
            ResumeAsync(NewProcess(bot), thread, "resp_gone", new TurnCheckpoint()));

        Assert.Equal(FailureKind.StreamCut, failure.Kind);
    }

    /// <summary>Runs a turn on the harness's backend until <paramref name="dieAt"/>, then drops it as a dying process would.</summary>
    private static async Task<(RemoteThread Thread, TurnCheckpoint Checkpoint)> DieMidAnswerAsync(ResponsesHarness bot, Func<AssistantEvent, bool> dieAt,
        params FakeResponse[] scripts)
    {
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hello"));
        bot.Server.Enqueue(scripts);
        var thread = Thread(bot, bot.Server.Ledger.CreatedConversations.Single());
        var checkpoint = new TurnCheckpoint();
        await foreach (var e in bot.Core.Backend.RunTurnAsync(new TurnRequest(thread, "the long one", [], Checkpoint: checkpoint)))
        {
            if (dieAt(e))
                break;
        }

        Assert.NotNull(checkpoint.ResponseId);
        return (thread, checkpoint);
    }

    private static RemoteThread Thread(ResponsesHarness bot, string remoteConversationId) =>
        new(new ConversationRecord(1, new ConversationKey("test", "c1"), ApiKinds.Responses, remoteConversationId, null, DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow, null), bot.Core.Store, []);

    // Another backend on the same endpoint: the restarted process, which knows nothing of the first one's turn.
    private static ResponsesBackend NewProcess(ResponsesHarness bot, params IFunctionTool[] tools)
    {
        var options = new OpenAIOptions
        {
            ApiKey = FakeOpenAIServer.ApiKey,
            Endpoint = bot.Server.BaseUri.ToString(),
            Model = "gpt-test",
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        var registry = new FunctionToolRegistry(tools, Options.Create(new ConversationOptions()), NullLogger<FunctionToolRegistry>.Instance);
        return new ResponsesBackend(new OpenAIClients(options), options, registry, NullLogger<ResponsesBackend>.Instance);
    }

    private static async Task<List<AssistantEvent>> ResumeAsync(IAssistantBackend backend, RemoteThread thread, string responseId, TurnCheckpoint checkpoint,
        string? runningTool = null)
    {
        var events = new List<AssistantEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in backend.ResumeTurnAsync(new ResumeRequest(thread, responseId, runningTool), checkpoint, timeout.Token))
            events.Add(e);
        return events;
    }

    /// <summary>The reply's text as the core would fold it: deltas appended per part, a finished part's text replacing them.</summary>
    internal static string TextOf(IEnumerable<AssistantEvent> events)
    {
        var parts = new List<(string Id, string Text)>();
        foreach (var e in events)
        {
            var (id, text, replace) = e switch
            {
                TextDelta d => (d.PartId, d.Text, false),
                TextPartCompleted c => (c.PartId, c.Text, true),
                _ => (null, null, false),
            };
            if (id is null)
                continue;
            var at = parts.FindIndex(p => p.Id == id);
            if (at < 0)
                parts.Add((id, text!));
            else
                parts[at] = (id, replace ? text! : parts[at].Text + text);
        }

        return string.Join("\n\n", parts.Select(p => p.Text));
    }
}
