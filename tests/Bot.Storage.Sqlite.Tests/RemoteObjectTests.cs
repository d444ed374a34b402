using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class RemoteObjectTests : StoreTestBase
{
    [Fact]
    public async Task GetRemoteObjectsAsync_lists_the_conversations_live_objects_oldest_first()
    {
        var store = await Db.OpenStoreAsync();
        var mine = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var other = await store.GetOrCreateConversationAsync(new("discord", "c2"), "Responses", T0);
        await store.RecordRemoteObjectAsync(mine.Id, new(RemoteObjectKind.Conversation, "conv_1"));
        await store.RecordRemoteObjectAsync(other.Id, new(RemoteObjectKind.Conversation, "conv_2"));
        await store.RecordRemoteObjectAsync(mine.Id, new(RemoteObjectKind.File, "file_1", "data.csv", RemoteFilePurposes.CodeInterpreter));
        await store.RecordRemoteObjectAsync(mine.Id, new(RemoteObjectKind.VectorStore, "vs_1"));

        var objects = await store.GetRemoteObjectsAsync(mine.Id);

        Assert.Equal(
            [
                new RemoteObjectRecord(RemoteObjectKind.Conversation, "conv_1"),
                new RemoteObjectRecord(RemoteObjectKind.File, "file_1", "data.csv", RemoteFilePurposes.CodeInterpreter),
                new RemoteObjectRecord(RemoteObjectKind.VectorStore, "vs_1"),
            ],
            objects);
    }

    [Fact]
    public async Task RecordRemoteObjectAsync_twice_keeps_one_record()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);

        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, "file_1", "a.pdf", RemoteFilePurposes.FileSearch));
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, "file_1", "a.pdf", RemoteFilePurposes.FileSearch));

        Assert.Single(await store.GetRemoteObjectsAsync(conversation.Id));
        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM remote_objects;"));
    }

    [Fact]
    public async Task RecordRemoteObjectAsync_dates_the_record_with_the_store_clock()
    {
        var clock = new FixedTimeProvider(T0.AddDays(1));
        var store = await Db.OpenStoreAsync(clock);
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);

        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.Thread, "thread_1"));

        Assert.Equal(T0.AddDays(1).ToUnixTimeMilliseconds(), Db.Scalar<long>("SELECT created_at_ms FROM remote_objects;"));
    }

    [Fact]
    public async Task MarkRemoteObjectDeletedAsync_takes_the_object_off_the_list()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, "file_1"));
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.VectorStore, "file_1"));

        await store.MarkRemoteObjectDeletedAsync(RemoteObjectKind.File, "file_1", T0.AddHours(2));
        await store.MarkRemoteObjectDeletedAsync(RemoteObjectKind.File, "never-recorded", T0.AddHours(2));

        Assert.Equal([new RemoteObjectRecord(RemoteObjectKind.VectorStore, "file_1")], await store.GetRemoteObjectsAsync(conversation.Id));
        Assert.Equal(T0.AddHours(2).ToUnixTimeMilliseconds(),
            Db.Scalar<long>("SELECT deleted_at_ms FROM remote_objects WHERE kind = 'File';"));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
