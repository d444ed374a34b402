using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class ConcurrencyTests : StoreTestBase
{
    [Fact]
    public async Task Two_hundred_concurrent_TryAcceptAsync_calls_from_parallel_tasks_all_succeed()
    {
        var store = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepts = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var message = Message("discord", $"c{i % 20}", $"m{i}");
            return (message.MessageId, Id: await store.TryAcceptAsync(message, T0));
        })).ToArray();
        // Readers run alongside the writers: WAL lets them read while the writer writes.
        var reads = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return (await store.GetUnfinishedInboxAsync("discord")).Count;
        })).ToArray();

        start.SetResult();
        var accepted = await Task.WhenAll(accepts);
        var counts = await Task.WhenAll(reads);

        Assert.All(accepted, a => Assert.NotNull(a.Id));
        Assert.Equal(200, accepted.Select(a => a.Id).Distinct().Count());
        Assert.All(counts, count => Assert.InRange(count, 0, 200));
        // Each caller got the id of its own message, stored with its own fields.
        var inbox = (await store.GetUnfinishedInboxAsync("discord")).ToDictionary(r => r.Id);
        Assert.Equal(200, inbox.Count);
        Assert.All(accepted, a =>
        {
            var stored = inbox[a.Id!.Value].Message;
            Assert.Equal(a.MessageId, stored.MessageId);
            Assert.Equal("hello from " + a.MessageId, stored.Text);
            Assert.Equal("user-" + a.MessageId, stored.Author.Id);
        });
    }

    [Fact]
    public async Task Concurrent_TryAcceptAsync_of_one_message_accepts_it_exactly_once()
    {
        var store = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepts = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await store.TryAcceptAsync(Message("teams", "c1", "same"), T0);
        })).ToArray();

        start.SetResult();
        var ids = await Task.WhenAll(accepts);

        Assert.Single(ids, id => id is not null);
    }

    [Fact]
    public async Task Concurrent_GetOrCreateConversationAsync_for_one_key_returns_one_row()
    {
        var store = await Db.OpenStoreAsync();
        var key = new ConversationKey("discord", "busy-channel");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await store.GetOrCreateConversationAsync(key, "Responses", T0.AddMilliseconds(i));
        })).ToArray();

        start.SetResult();
        var records = await Task.WhenAll(calls);

        Assert.Single(records.Select(r => r.Id).Distinct());
        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM conversations;"));
    }

    [Fact]
    public async Task A_hundred_conversations_running_turns_at_once_all_end_answered()
    {
        var store = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lanes = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var message = Message("discord", $"c{i}", $"m{i}");
            var inboxId = (await store.TryAcceptAsync(message, T0))!.Value;
            var conversation = await store.GetOrCreateConversationAsync(message.Conversation, "Responses", T0);
            await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.Conversation, $"conv_{i}"));
            await store.SetRemoteIdsAsync(conversation.Id, $"conv_{i}", null);
            var turnId = await store.StartTurnAsync(conversation.Id, [inboxId], T0);
            await store.FinishTurnAsync(turnId, new TurnOutcome(TurnStatus.Completed, [$"resp_{i}"], new TokenUsage(i, i), T0, T0));
            return turnId;
        })).ToArray();

        start.SetResult();
        var turnIds = await Task.WhenAll(lanes);

        Assert.Empty(await store.GetUnfinishedInboxAsync("discord"));
        Assert.Equal(100, Db.Scalar<long>("SELECT count(*) FROM inbox WHERE status = 'Answered';"));
        Assert.Equal(100, Db.Scalar<long>("SELECT count(DISTINCT turn_id) FROM inbox;"));
        Assert.Equal(100, Db.Scalar<long>("SELECT count(*) FROM conversations WHERE remote_conversation_id IS NOT NULL;"));
        Assert.All(turnIds, id => Assert.Equal(1, Db.Scalar<long>(
            "SELECT count(*) FROM turns t JOIN inbox i ON i.turn_id = t.id WHERE t.id = $id AND t.status = 'Completed' " +
            "AND t.conversation_id = (SELECT id FROM conversations c WHERE c.chat_conversation_id = i.chat_conversation_id);",
            ("$id", id))));
    }
}
