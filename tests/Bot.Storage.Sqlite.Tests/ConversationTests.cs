using Bot.Core.Conversations;

namespace Bot.Storage.Sqlite.Tests;

public sealed class ConversationTests : StoreTestBase
{
    private static readonly ConversationKey Key = new("discord", "channel-1");

    [Fact]
    public async Task GetOrCreateConversationAsync_creates_a_mapping_once_and_then_returns_it()
    {
        var store = await Db.OpenStoreAsync();

        var created = await store.GetOrCreateConversationAsync(Key, "Responses", T0);
        var again = await store.GetOrCreateConversationAsync(Key, "Assistants", T0.AddHours(1));

        Assert.Equal(created, again);
        Assert.Equal(Key, created.Key);
        Assert.Equal("Responses", created.BackendKind);
        Assert.Null(created.RemoteConversationId);
        Assert.Null(created.VectorStoreId);
        Assert.Equal(T0, created.CreatedAt);
        Assert.Equal(T0, created.LastActiveAt);
        Assert.Null(created.ArchivedAt);
        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM conversations;"));
    }

    [Fact]
    public async Task FindConversationAsync_returns_null_for_a_key_never_seen()
    {
        var store = await Db.OpenStoreAsync();
        await store.GetOrCreateConversationAsync(Key, "Responses", T0);

        Assert.Null(await store.FindConversationAsync(new ConversationKey("discord", "channel-2")));
        Assert.Null(await store.FindConversationAsync(new ConversationKey("teams", "channel-1")));
        Assert.NotNull(await store.FindConversationAsync(Key));
    }

    [Fact]
    public async Task Conversation_mapping_with_remote_ids_survives_reopening_the_file()
    {
        var beforeRestart = await Db.OpenStoreAsync();
        var created = await beforeRestart.GetOrCreateConversationAsync(Key, "Assistants", T0);
        await beforeRestart.SetRemoteIdsAsync(created.Id, "thread_abc", "vs_123");
        await beforeRestart.DisposeAsync();

        var afterRestart = await Db.OpenStoreAsync();
        var found = await afterRestart.FindConversationAsync(Key);

        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal("Assistants", found.BackendKind);
        Assert.Equal("thread_abc", found.RemoteConversationId);
        Assert.Equal("vs_123", found.VectorStoreId);
        Assert.Equal(T0, found.CreatedAt);
    }

    [Fact]
    public async Task SetRemoteIdsAsync_can_clear_an_id_again()
    {
        var store = await Db.OpenStoreAsync();
        var created = await store.GetOrCreateConversationAsync(Key, "Responses", T0);
        await store.SetRemoteIdsAsync(created.Id, "conv_1", "vs_1");

        await store.SetRemoteIdsAsync(created.Id, "conv_1", null);

        var found = await store.FindConversationAsync(Key);
        Assert.Equal("conv_1", found?.RemoteConversationId);
        Assert.Null(found?.VectorStoreId);
    }

    [Fact]
    public async Task SetRemoteIdsAsync_for_an_unknown_conversation_throws()
    {
        var store = await Db.OpenStoreAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SetRemoteIdsAsync(999, "conv_1", null));
    }

    [Fact]
    public async Task ArchiveConversationAsync_then_GetOrCreate_makes_a_new_row_and_the_old_one_stays_archived()
    {
        var store = await Db.OpenStoreAsync();
        var old = await store.GetOrCreateConversationAsync(Key, "Responses", T0);
        await store.SetRemoteIdsAsync(old.Id, "conv_old", null);

        await store.ArchiveConversationAsync(old.Id, T0.AddMinutes(5));
        var afterArchive = await store.FindConversationAsync(Key);
        var fresh = await store.GetOrCreateConversationAsync(Key, "Responses", T0.AddMinutes(6));

        Assert.Null(afterArchive);
        Assert.NotEqual(old.Id, fresh.Id);
        Assert.Null(fresh.RemoteConversationId);
        Assert.Null(fresh.ArchivedAt);
        Assert.Equal(T0.AddMinutes(6), fresh.CreatedAt);
        Assert.Equal(T0.AddMinutes(5).ToUnixTimeMilliseconds(),
            Db.Scalar<long>("SELECT archived_at_ms FROM conversations WHERE id = $id;", ("$id", old.Id)));
        Assert.Equal("conv_old",
            Db.Scalar<string>("SELECT remote_conversation_id FROM conversations WHERE id = $id;", ("$id", old.Id)));
        Assert.Equal(fresh, await store.FindConversationAsync(Key));
    }

    [Fact]
    public async Task ArchiveConversationAsync_twice_keeps_the_first_time()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(Key, "Responses", T0);

        await store.ArchiveConversationAsync(conversation.Id, T0.AddMinutes(1));
        await store.ArchiveConversationAsync(conversation.Id, T0.AddMinutes(2));

        Assert.Equal(T0.AddMinutes(1).ToUnixTimeMilliseconds(),
            Db.Scalar<long>("SELECT archived_at_ms FROM conversations WHERE id = $id;", ("$id", conversation.Id)));
    }

    [Fact]
    public async Task The_database_refuses_a_second_active_mapping_for_one_key()
    {
        var store = await Db.OpenStoreAsync();
        await store.GetOrCreateConversationAsync(Key, "Responses", T0);

        var error = Assert.ThrowsAny<System.Data.Common.DbException>(() => Db.Scalar<long>(
            "INSERT INTO conversations (channel, chat_conversation_id, backend_kind, created_at_ms, last_active_at_ms) " +
            "VALUES ('discord', 'channel-1', 'Responses', 0, 0);"));

        Assert.Contains("unique", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
