using System.Runtime.CompilerServices;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;

namespace Bot.Core.Tests.Conversations;

/// <summary>
/// Answers that survive: a turn whose remote response can be resumed is finished after a restart into the message the
/// earlier process posted (edited, never posted twice); what cannot be finished is told once; Stop cancels the remote
/// response once.
/// </summary>
public sealed class ResumeTurnTests : IDisposable
{
    private const string Address = "c1/m1";
    private static readonly ConversationKey Key = new("test", "c1");
    private readonly TempDirectory _folder = new();

    private string DatabasePath => _folder.File("bot.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_restart_mid_answer_finishes_the_same_message_with_the_whole_answer_and_posts_nothing_twice()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend
        {
            Resumable = true,
            Script = (_, ct) => HalfThenHangs("resp_1", "Hello, wor", ct),
            ResumeScript = (request, _, ct) => Whole(request.ResponseId, "Hello, world!", ct),
        };
        await using (var before = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath))
        {
            await before.Service.AcceptAsync(channel.Message("c1", "hi", "m1"));
            await channel.Changes.UntilAsync(() => channel.PostedTo(Address) is [var id] && channel.ShownText(id)!.Contains("Hello, wor", StringComparison.Ordinal));
        }

        // The host stopped with the answer half written: the user read that it goes on, and the turn waits for the next start.
        var message = Assert.Single(channel.PostedTo(Address));
        Assert.EndsWith(UserMessages.ContinuesAfterRestart, channel.ShownText(message), StringComparison.Ordinal);
        Assert.Empty(backend.CancelledResponses);

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.RepliesTo(Address) is [_, { Final: not null }]);
        await AnsweredAsync(after);

        Assert.Equal([message], channel.PostedTo(Address));
        Assert.Equal("Hello, world!", channel.ShownText(message));
        Assert.Equal([message], channel.RepliesTo(Address)[^1].Adopted);
        Assert.Equal(("resp_1", (string?)null), (backend.Resumes.Single().ResponseId, backend.Resumes.Single().RunningTool));
        var turn = await after.Store.GetTurnAsync(1);
        Assert.Equal(TurnStatus.Completed, turn?.Status);
        Assert.Equal(new TokenUsage(10, 3), turn?.Usage);
        Assert.Empty(await after.Store.GetUnfinishedInboxAsync("test"));
        Assert.Empty(backend.CancelledResponses);
    }

    [Fact]
    public async Task A_response_that_completed_while_the_bot_was_down_is_rendered_whole_then_the_waiting_message_is_answered()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend { ResumeScript = (request, _, ct) => Whole(request.ResponseId, "The complete answer.", ct) };
        var message = await CrashedMidAnswerAsync(channel, backend, new TurnResumePoint("resp_9", 40, true, null, []), waiting: "and then?");

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.RepliesTo("c1/m2") is [{ Final: not null }]);
        await AnsweredAsync(after);

        Assert.Equal([message], channel.PostedTo(Address));
        Assert.Equal("The complete answer.", channel.ShownText(message));
        Assert.Equal("Echo: and then?", Assert.Single(channel.RepliesTo("c1/m2")).Text);
        // One turn at a time, in order: the finished answer before the message that waited behind it.
        var (resumed, next) = (await after.Store.GetTurnAsync(1), await after.Store.GetTurnAsync(2));
        Assert.Equal((TurnStatus.Completed, TurnStatus.Completed), (resumed?.Status, next?.Status));
        Assert.True(resumed!.FinishedAt <= next!.StartedAt);
        Assert.Equal(1, backend.MaxConcurrentTurnsPerConversation);
    }

    [Fact]
    public async Task A_turn_that_died_in_a_tool_that_is_not_run_twice_tells_the_user_which_step_was_lost_once()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend
        {
            ResumeScript = (request, _, _) => TestScripts.Failing(new AssistantFailureException(FailureKind.ToolStepLost, $"{request.RunningTool} is not idempotent")),
        };
        var message = await CrashedMidAnswerAsync(channel, backend, new TurnResumePoint("resp_3", 12, true, "book_table", []));

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.PostedTo(Address).Count == 2);
        await AnsweredAsync(after);

        Assert.Equal("book_table", backend.Resumes.Single().RunningTool);
        var notice = channel.PostedTo(Address)[1];
        Assert.Equal(UserMessages.ToolStepLost("book_table"), channel.ShownText(notice));
        Assert.Contains("`book_table`", channel.ShownText(notice), StringComparison.Ordinal);
        // What the earlier process showed stays as it was.
        Assert.Equal("Half of the", channel.ShownText(message));
        Assert.Equal(TurnStatus.Interrupted, (await after.Store.GetTurnAsync(1))?.Status);
    }

    [Fact]
    public async Task A_turn_that_died_in_an_idempotent_tool_is_resumed_with_that_tool_named_and_answered_in_the_same_message()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend
        {
            // The backend runs the idempotent tool again and the answer goes on.
            ResumeScript = (request, _, ct) => request.RunningTool == "lookup_weather"
                ? Whole(request.ResponseId, "Half of the answer: it is sunny.", ct)
                : TestScripts.Failing(new AssistantFailureException(FailureKind.ToolStepLost, "unexpected")),
        };
        var message = await CrashedMidAnswerAsync(channel, backend, new TurnResumePoint("resp_4", 8, true, "lookup_weather", []));

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.RepliesTo(Address) is [_, { Final: not null }]);
        await AnsweredAsync(after);

        Assert.Equal([message], channel.PostedTo(Address));
        Assert.Equal("Half of the answer: it is sunny.", channel.ShownText(message));
        Assert.Equal(TurnStatus.Completed, (await after.Store.GetTurnAsync(1))?.Status);
    }

    [Fact]
    public async Task A_resume_that_fails_gives_the_one_lost_sentence_once_and_the_conversation_stays_usable()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend(); // no resume script: the response cannot be found any more
        var message = await CrashedMidAnswerAsync(channel, backend, new TurnResumePoint("resp_gone", 5, true, null, []));

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.PostedTo(Address).Count == 2);
        await AnsweredAsync(after);

        Assert.Equal(UserMessages.Interrupted, channel.ShownText(channel.PostedTo(Address)[1]));
        Assert.Equal("Half of the", channel.ShownText(message));
        Assert.Single(backend.Resumes);
        Assert.Equal(TurnStatus.Interrupted, (await after.Store.GetTurnAsync(1))?.Status);
        Assert.Equal(TurnStatus.Completed, await after.AskAsync(channel.Message("c1", "again", "m3")));
        Assert.Equal(2, channel.PostedTo(Address).Count);
    }

    [Fact]
    public async Task A_turn_without_a_resumable_response_is_closed_as_before()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend { ResumeScript = (request, _, ct) => Whole(request.ResponseId, "never", ct) };
        await CrashedMidAnswerAsync(channel, backend, new TurnResumePoint("resp_plain", 5, false, null, []));

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.PostedTo(Address).Count == 2);

        Assert.Empty(backend.Resumes);
        Assert.Equal(UserMessages.Interrupted, channel.ShownText(channel.PostedTo(Address)[1]));
    }

    [Fact]
    public async Task Stop_during_a_function_tool_cancels_the_remote_response_once_and_nothing_is_written_after_the_stop()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend { Resumable = true, Script = (request, ct) => HangsInTool(request.Checkpoint!, ct) };
        await using var bot = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        var running = await bot.Service.AcceptAsync(channel.Message("c1", "book it", "m1"));
        await channel.Changes.UntilAsync(() => channel.PostedTo(Address) is [var id] && channel.ShownText(id)!.Contains("Booking", StringComparison.Ordinal));
        await UntilStoredAsync(bot.Store, p => p.RunningTool == "book_table");

        Assert.True(bot.Service.Stop(Key));

        Assert.Equal(TurnStatus.Cancelled, await running.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["resp_tool"], backend.CancelledResponses);
        var reply = Assert.Single(channel.RepliesTo(Address));
        Assert.EndsWith(UserMessages.Stopped, reply.Text, StringComparison.Ordinal);
        var visible = reply.Writes.Where(w => w.Kind is WriteKind.Post or WriteKind.Edit).ToList();
        Assert.EndsWith(UserMessages.Stopped, visible[^1].Text, StringComparison.Ordinal);
        Assert.Single(visible, w => w.Text.EndsWith(UserMessages.Stopped, StringComparison.Ordinal));
        Assert.Equal(TurnStatus.Cancelled, (await bot.Store.GetTurnAsync(1))?.Status);
    }

    [Fact]
    public async Task Stop_during_a_resume_cancels_the_response_once_and_ends_the_same_message()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend { ResumeScript = (request, _, ct) => HalfThenHangs(request.ResponseId, "Half of the answer, and", ct) };
        var message = await CrashedMidAnswerAsync(channel, backend, new TurnResumePoint("resp_7", 21, true, null, []));

        await using var after = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        await channel.Changes.UntilAsync(() => channel.ShownText(message)!.Contains("and", StringComparison.Ordinal));
        Assert.True(after.Service.Stop(Key));
        await channel.Changes.UntilAsync(() => channel.RepliesTo(Address) is [_, { Final: not null }]);
        await AnsweredAsync(after);

        Assert.Equal(["resp_7"], backend.CancelledResponses);
        Assert.Equal([message], channel.PostedTo(Address));
        Assert.EndsWith(UserMessages.Stopped, channel.ShownText(message), StringComparison.Ordinal);
        Assert.StartsWith("Half of the answer, and", channel.ShownText(message), StringComparison.Ordinal);
        Assert.Equal(TurnStatus.Cancelled, (await after.Store.GetTurnAsync(1))?.Status);
    }

    [Fact]
    public async Task A_remote_cancel_that_fails_is_logged_and_the_user_still_reads_stopped()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend
        {
            Resumable = true,
            Script = (_, ct) => HalfThenHangs("resp_x", "Half", ct),
            BeforeCancel = (_, _) => throw new HttpRequestException("500 from the service"),
        };
        await using var bot = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        var running = await bot.Service.AcceptAsync(channel.Message("c1", "go", "m1"));
        await channel.Changes.UntilAsync(() => channel.PostedTo(Address).Count == 1);

        Assert.True(bot.Service.Stop(Key));

        Assert.Equal(TurnStatus.Cancelled, await running.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["resp_x"], backend.CancelledResponses);
        Assert.EndsWith(UserMessages.Stopped, channel.ShownText(channel.PostedTo(Address)[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_turn_timeout_cancels_the_remote_response()
    {
        var channel = new RecordingChannel();
        var backend = new ScriptedBackend { Resumable = true, Script = (_, ct) => HalfThenHangs("resp_slow", "Slow", ct) };
        await using var bot = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath,
            options: new ConversationOptions { TurnTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(channel.Message("c1", "go", "m1")));

        Assert.Equal(["resp_slow"], backend.CancelledResponses);
    }

    // What a process killed mid-answer leaves: the message it posted (partly written), the turn Running with its resume
    // point naming that message, the inbox row Processing; and, when given, a message still waiting.
    private async Task<string> CrashedMidAnswerAsync(RecordingChannel channel, ScriptedBackend backend, TurnResumePoint point, string? waiting = null)
    {
        await using var before = await CoreHarness.StartAsync(backend, channel, databasePath: DatabasePath);
        var posted = await channel.CreateReplyWriter(Address).PostAsync(new Bot.Core.Channels.ReplyMessage("Half of the", 0, ReplySnapshot.Empty));
        var store = before.Store;
        var asked = channel.Message("c1", "tell me", "m1");
        var inboxId = await store.TryAcceptAsync(asked, DateTimeOffset.UtcNow);
        var conversation = await store.GetOrCreateConversationAsync(Key, backend.Kind, DateTimeOffset.UtcNow);
        await store.SetRemoteIdsAsync(conversation.Id, "conv_1", null);
        var turnId = await store.StartTurnAsync(conversation.Id, [inboxId!.Value], DateTimeOffset.UtcNow);
        await store.SaveResumePointAsync(turnId, point with { MessageIds = [posted.MessageId!] });
        if (waiting is not null)
            await store.TryAcceptAsync(channel.Message("c1", waiting, "m2"), DateTimeOffset.UtcNow);
        return posted.MessageId!;
    }

    private static async Task AnsweredAsync(CoreHarness bot)
    {
        for (var i = 0; i < 600 && (await bot.Store.GetUnfinishedInboxAsync("test")).Count > 0; i++)
            await Task.Delay(50);
        Assert.Empty(await bot.Store.GetUnfinishedInboxAsync("test"));
    }

    private static async Task UntilStoredAsync(IConversationStore store, Func<TurnResumePoint, bool> condition)
    {
        for (var i = 0; i < 600 && !((await store.GetTurnAsync(1))?.ResumePoint is { } point && condition(point)); i++)
            await Task.Delay(50);
        Assert.True((await store.GetTurnAsync(1))?.ResumePoint is { } stored && condition(stored));
    }

    private static async IAsyncEnumerable<AssistantEvent> HalfThenHangs(string responseId, string half, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new ResponseStarted(responseId);
        yield return new TextDelta("p0", half);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static async IAsyncEnumerable<AssistantEvent> Whole(string responseId, string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new ResponseStarted(responseId);
        foreach (var piece in text.Chunk(Math.Max(1, text.Length / 3)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new TextDelta("p0", new string(piece));
        }

        yield return new UsageReported(new TokenUsage(10, 3));
        yield return new TurnFinished();
    }

    // A function tool the bot runs for the turn: the backend names it in the checkpoint while it runs.
    private static async IAsyncEnumerable<AssistantEvent> HangsInTool(TurnCheckpoint checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new ResponseStarted("resp_tool");
        yield return new TextDelta("p0", "Booking your table…");
        checkpoint.RunningTool = "book_table";
        yield return new ToolActivity(ToolKind.Function, true, "book_table");
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield return new TextDelta("p0", " done (never shown)");
    }
}
