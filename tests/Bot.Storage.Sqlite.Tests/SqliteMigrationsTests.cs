using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite.Tests;

public sealed class SqliteMigrationsTests : StoreTestBase
{
    private const int MigrationAppliedEvent = 3001;

    [Fact]
    public async Task InitializeAsync_on_a_path_in_a_missing_folder_creates_the_file_and_the_whole_schema()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(Db.DatabasePath)));

        await Db.OpenStoreAsync();

        Assert.True(File.Exists(Db.DatabasePath));
        using var connection = Db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name;";
        var names = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                names.Add(reader.GetString(0));
        }

        Assert.Equal(
            ["conversations", "inbox", "ix_inbox_turn", "ix_inbox_unfinished", "ix_remote_objects_conversation", "ix_remote_objects_delete_due",
             "ix_turns_conversation",
             "kv", "remote_objects", "turns", "ux_conversations_active_key"],
            names);
        Assert.Equal(SqliteMigrations.LatestVersion, Db.Scalar<int>("PRAGMA user_version;"));
        Assert.Equal(SqliteMigrations.LatestVersion, Db.Logger.Count(MigrationAppliedEvent));
    }

    [Fact]
    public async Task InitializeAsync_turns_on_WAL_journal_mode()
    {
        await Db.OpenStoreAsync();

        Assert.Equal("wal", Db.Scalar<string>("PRAGMA journal_mode;"));
        Assert.True(File.Exists(Db.DatabasePath + "-wal"));
    }

    [Fact]
    public async Task Foreign_keys_are_enforced_on_the_store_connections()
    {
        var store = await Db.OpenStoreAsync();

        var error = await Assert.ThrowsAsync<SqliteException>(() =>
            store.RecordRemoteObjectAsync(4242, new(Core.Backends.RemoteObjectKind.File, "file-1")));

        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Db.Scalar<long>("SELECT count(*) FROM remote_objects;"));
    }

    [Fact]
    public async Task InitializeAsync_again_applies_no_migration_and_keeps_the_data()
    {
        var store = await Db.OpenStoreAsync();
        await store.SetValueAsync("assistant-id", "asst_1");

        await store.InitializeAsync();
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal(SqliteMigrations.LatestVersion, Db.Logger.Count(MigrationAppliedEvent));
        Assert.Equal(SqliteMigrations.LatestVersion, Db.Scalar<int>("PRAGMA user_version;"));
        Assert.Equal("asst_1", await reopened.GetValueAsync("assistant-id"));
    }

    [Fact]
    public async Task InitializeAsync_refuses_a_database_written_by_a_newer_schema_version()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Db.DatabasePath)!);
        var newer = SqliteMigrations.LatestVersion + 1;
        Db.Scalar<int>($"PRAGMA user_version = {newer};");
        var store = Db.CreateStore();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains(Db.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Db.Scalar<long>("SELECT count(*) FROM sqlite_master WHERE name = 'conversations';"));
        Assert.Equal(newer, Db.Scalar<int>("PRAGMA user_version;"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetValueAsync("x"));
    }

    [Fact]
    public async Task Methods_called_before_InitializeAsync_throw_and_say_so()
    {
        var store = Db.CreateStore();

        var read = await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetValueAsync("x"));
        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SetValueAsync("x", "y"));

        Assert.Contains("InitializeAsync", read.Message, StringComparison.Ordinal);
        Assert.Contains("InitializeAsync", write.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Db.DatabasePath));
    }

    [Fact]
    public async Task Methods_called_after_dispose_throw_ObjectDisposedException()
    {
        var store = await Db.OpenStoreAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetValueAsync("x"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SetValueAsync("x", "y"));
    }

    [Fact]
    public async Task A_version_1_database_is_migrated_keeping_unfinished_messages_and_forgetting_what_finished_ones_said()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Db.DatabasePath)!);
        using (var connection = Db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = SqliteMigrations.Scripts[0] + """
                PRAGMA user_version = 1;
                INSERT INTO conversations (channel, chat_conversation_id, backend_kind, created_at_ms, last_active_at_ms)
                    VALUES ('discord', 'c1', 'Responses', 1, 1);
                INSERT INTO remote_objects (conversation_id, kind, remote_id, created_at_ms) VALUES (1, 'File', 'file_1', 1);
                INSERT INTO inbox (channel, chat_conversation_id, message_id, author_id, author_name, text, attachments,
                                   reply_address, received_at_ms, accepted_at_ms, status, updated_at_ms)
                VALUES ('discord', 'c1', 'done', 'u1', 'Ada', 'answered long ago', '[{"name":"a.csv","source":"https://cdn/a"}]', 'r', 1, 1, 'Answered', 1),
                       ('discord', 'c1', 'dropped', 'u1', 'Ada', 'dropped by a reset', '[]', 'r', 1, 1, 'Cancelled', 1),
                       ('discord', 'c1', 'waiting', 'u1', 'Ada', 'still waiting', '[{"name":"b.csv","source":"https://cdn/b"}]', 'r', 1, 1, 'Accepted', 1);
                """;
            command.ExecuteNonQuery();
        }

        var store = await Db.OpenStoreAsync();

        Assert.Equal(SqliteMigrations.LatestVersion, Db.Scalar<int>("PRAGMA user_version;"));
        Assert.Equal(["", "", "still waiting"], Column("SELECT text FROM inbox ORDER BY id;"));
        Assert.Equal(["", "", "Ada"], Column("SELECT author_name FROM inbox ORDER BY id;"));
        Assert.Equal(["[]", "[]", """[{"name":"b.csv","source":"https://cdn/b"}]"""], Column("SELECT attachments FROM inbox ORDER BY id;"));
        Assert.Equal(["done", "dropped", "waiting"], Column("SELECT message_id FROM inbox ORDER BY id;"));
        var waiting = Assert.Single(await store.GetUnfinishedInboxAsync("discord"));
        Assert.Equal(("still waiting", "b.csv"), (waiting.Message.Text, Assert.Single(waiting.Message.Attachments).FileName));
        Assert.Single(await store.GetRemoteObjectsAsync(1));
    }

    private List<string> Column(string sql)
    {
        using var connection = Db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.GetString(0));
        return values;
    }
}
