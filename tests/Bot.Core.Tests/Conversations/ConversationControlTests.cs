using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

public sealed class ConversationControlTests
{
    [Fact]
    public async Task Stop_CancelsTheRunningAnswer_AndTheNextMessageIsAnswered()
    {
        var backend = new ScriptedBackend { Script = (r, ct) => r.Text == "long" ? StartsThenHangs(ct) : ScriptedBackend.Stream("ok", cancellationToken: ct) };
        await using var bot = await CoreHarness.StartAsync(backend);

        var running = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "long", "m1"));
        await bot.Channel.Changes.UntilAsync(() => bot.Channel.Replies is [{ Messages.Count: > 0 }]);
        Assert.True(bot.Service.Stop(new ConversationKey("test", "c1")));

        Assert.Equal(TurnStatus.Cancelled, await running.Answered.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.EndsWith(UserMessages.Stopped, bot.Channel.Replies[0].Text, StringComparison.Ordinal);
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "next", "m2")));
        Assert.False(bot.Service.Stop(new ConversationKey("test", "c1")));
    }

    [Fact]
    public async Task Reset_StopsTheTurn_DropsQueuedMessages_DeletesRemoteObjects_AndStartsAfresh()
    {
        var backend = new ScriptedBackend { Script = (r, ct) => r.Text == "long" ? StartsThenHangs(ct) : ScriptedBackend.Stream("ok", cancellationToken: ct) };
        await using var bot = await CoreHarness.StartAsync(backend);
        bot.Channel.AttachmentContents["doc"] = "some notes"u8.ToArray();
        var key = new ConversationKey("test", "c1");

        await bot.AskAsync(bot.Channel.Message("c1", "read this", "m0", attachments: [new("notes.md", "text/markdown", 10, "doc")]));
        var running = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "long", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 2);
        var queued = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "queued", "m2"));

        var result = await bot.Service.ResetAsync(key);

        Assert.Equal(new ResetResult(true, true, 1, 3, 0), result);
        Assert.Equal(TurnStatus.Cancelled, await running.Answered);
        Assert.Equal(TurnStatus.Cancelled, await queued.Answered);
        Assert.Empty(backend.Orphans);
        Assert.Null(await bot.Store.FindConversationAsync(key));
        Assert.Empty(await bot.Store.GetUnfinishedInboxAsync("test"));

        await bot.AskAsync(bot.Channel.Message("c1", "fresh", "m3"));
        Assert.Equal("conv_4", (await bot.Store.FindConversationAsync(key))?.RemoteConversationId);
        Assert.DoesNotContain(backend.Requests, r => r.Text == "queued");
    }

    [Fact]
    public async Task Reset_WithDeletionSwitchedOff_ArchivesButKeepsTheRemoteObjects()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend, options: new ConversationOptions { DeleteRemoteObjectsOnReset = false });
        await bot.AskAsync(bot.Channel.Message("c1", "hello", "m1"));

        var result = await bot.Service.ResetAsync(new ConversationKey("test", "c1"));

        Assert.Equal(new ResetResult(true, false, 0, 0, 0), result);
        Assert.Empty(backend.Deleted);
        Assert.Null(await bot.Store.FindConversationAsync(new ConversationKey("test", "c1")));
    }

    [Fact]
    public async Task HostShutdown_DuringATurn_TheUserIsToldTheAnswerWasCutShort()
    {
        var backend = new ScriptedBackend { Script = (_, ct) => StartsThenHangs(ct) };
        await using var bot = await CoreHarness.StartAsync(backend);
        var running = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "long", "m1"));
        await bot.Channel.Changes.UntilAsync(() => bot.Channel.Replies is [{ Messages.Count: > 0 }]);

        await bot.Service.StopAsync(CancellationToken.None);

        Assert.Equal(TurnStatus.Interrupted, await running.Answered.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.EndsWith(UserMessages.ShuttingDown, bot.Channel.Replies[0].Text, StringComparison.Ordinal);
        Assert.Equal(TurnStatus.Interrupted, (await bot.Store.GetTurnAsync(1))?.Status);
    }

    [Fact]
    public async Task Restart_AfterACrash_ReportsTheInterruptedTurn_AndAnswersWaitingMessages()
    {
        using var folder = new Bot.Testing.TempDirectory();
        var backend = new ScriptedBackend();
        await using (var before = await CoreHarness.StartAsync(backend, databasePath: folder.File("bot.db")))
        {
            // What a crash leaves behind: one message in a running turn, one still waiting.
            var store = before.Store;
            var interrupted = before.Channel.Message("c1", "was running", "m1");
            var waiting = before.Channel.Message("c1", "was waiting", "m2");
            var id1 = await store.TryAcceptAsync(interrupted, DateTimeOffset.UtcNow);
            var conversation = await store.GetOrCreateConversationAsync(interrupted.Conversation, "Scripted", DateTimeOffset.UtcNow);
            await store.StartTurnAsync(conversation.Id, [id1!.Value], DateTimeOffset.UtcNow);
            await store.TryAcceptAsync(waiting, DateTimeOffset.UtcNow);
        }

        await using var after = await CoreHarness.StartAsync(backend, databasePath: folder.File("bot.db"));
        await after.Channel.Changes.UntilAsync(() => after.Channel.RepliesTo("c1/m2") is [{ Final: not null }]);

        Assert.Equal(UserMessages.Interrupted, after.Channel.RepliesTo("c1/m1").Single().Text);
        Assert.Equal("Echo: was waiting", after.Channel.RepliesTo("c1/m2").Single().Text);
        Assert.Empty(await after.Store.GetUnfinishedInboxAsync("test"));
        Assert.Equal(AcceptStatus.Duplicate, (await after.Service.AcceptAsync(after.Channel.Message("c1", "was running", "m1"))).Status);
    }
}
