using Bot.Core.Storage;
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
            ["conversation_leases", "conversation_signals", "conversations", "discord_identify_buckets", "discord_shard_leases", "followed_places", "inbox", "instances", "ix_conversation_leases_owner", "ix_inbox_turn",
             "ix_inbox_unfinished", "ix_inbox_unfinished_conversation", "ix_moderation_events_user",
             "ix_place_setting_history_place", "ix_remote_objects_conversation", "ix_remote_objects_delete_due", "ix_turns_conversation",
             "ix_usage_ledger_place", "moderation_events", "place_setting_history", "place_settings", "place_usage", "place_user_usage", "provisioned_assistants", "remote_objects", "secrets", "turns", "usage_ledger", "usage_users", "ux_conversations_active_key", "visitor_threads", "visitors",
             "web_events", "web_messages"],
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
        await store.SaveProvisionedAssistantAsync(new("Assistants", "asst_1", "hash"));

        await store.InitializeAsync();
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal(SqliteMigrations.LatestVersion, Db.Logger.Count(MigrationAppliedEvent));
        Assert.Equal(SqliteMigrations.LatestVersion, Db.Scalar<int>("PRAGMA user_version;"));
        Assert.Equal("asst_1", (await reopened.FindProvisionedAssistantAsync("Assistants"))?.AssistantId);
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
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.PingAsync());
    }

    [Fact]
    public async Task Methods_called_before_InitializeAsync_throw_and_say_so()
    {
        var store = Db.CreateStore();

        var read = await Assert.ThrowsAsync<InvalidOperationException>(() => store.IsPlaceFollowedAsync("discord", "x"));
        var write = await Assert.ThrowsAsync<InvalidOperationException>(() => store.FollowPlaceAsync("discord", "x"));

        Assert.Contains("InitializeAsync", read.Message, StringComparison.Ordinal);
        Assert.Contains("InitializeAsync", write.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Db.DatabasePath));
    }

    [Fact]
    public async Task Methods_called_after_dispose_throw_ObjectDisposedException()
    {
        var store = await Db.OpenStoreAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.PingAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.FollowPlaceAsync("discord", "x"));
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

    [Fact]
    public async Task A_version_2_database_has_its_key_value_rows_moved_into_the_typed_tables_and_the_key_value_table_dropped()
    {
        var secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Db.DatabasePath)!);
        using (var connection = Db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = SqliteMigrations.Scripts[0] + SqliteMigrations.Scripts[1] + $$"""
                PRAGMA user_version = 2;
                INSERT INTO kv (key, value) VALUES
                    ('discord:thread:1457536551830421524', 'answering'),
                    ('discord:thread:42', 'answering'),
                    ('web:visitor:0123456789abcdef0123456789abcdef', 'a1b2c3d4e5f60718'),
                    ('web:visitor:ffffffffffffffffffffffffffffffff', ''),
                    ('web:thread:a1b2c3d4e5f60718:owner', '0123456789abcdef0123456789abcdef'),
                    ('web:thread:0000000000000000:owner', ''),
                    ('web:secret', '{{Convert.ToBase64String(secret)}}'),
                    ('openai.assistants.assistant', 'asst_abc|0f1e2d3c4b5a6978'),
                    ('health', 'never written, dropped with the table');
                """;
            command.ExecuteNonQuery();
        }

        var store = await Db.OpenStoreAsync();

        Assert.Equal(SqliteMigrations.LatestVersion, Db.Scalar<int>("PRAGMA user_version;"));
        Assert.Equal(0, Db.Scalar<long>("SELECT count(*) FROM sqlite_master WHERE name = 'kv';"));
        Assert.True(await store.IsPlaceFollowedAsync("discord", "1457536551830421524"));
        Assert.True(await store.IsPlaceFollowedAsync("discord", "42"));
        Assert.Equal(2, Db.Scalar<long>("SELECT count(*) FROM followed_places WHERE followed_at_ms > 0;"));
        Assert.Equal("a1b2c3d4e5f60718", await store.FindCurrentThreadAsync("0123456789abcdef0123456789abcdef"));
        Assert.Null(await store.FindCurrentThreadAsync("ffffffffffffffffffffffffffffffff"));
        Assert.Equal(new ThreadOwnership("0123456789abcdef0123456789abcdef"), await store.FindThreadOwnerAsync("a1b2c3d4e5f60718"));
        Assert.True((await store.FindThreadOwnerAsync("0000000000000000"))?.IsReleased);
        Assert.Equal(secret, await store.GetOrAddSecretAsync("web-chat", new byte[32]));
        Assert.Equal(new ProvisionedAssistant("Assistants", "asst_abc", "0f1e2d3c4b5a6978"), await store.FindProvisionedAssistantAsync("Assistants"));
    }

    [Theory]
    [InlineData("openai.assistants.assistant", "")]
    [InlineData("openai.assistants.assistant", "|0f1e2d3c4b5a6978")]
    [InlineData("openai.assistants.assistant", "asst_abc|")]
    [InlineData("web:secret", "not base64!")]
    [InlineData("web:secret", "AAECAw==")]
    [InlineData("discord:thread:", "answering")]
    public async Task A_key_value_row_the_code_would_not_have_used_is_not_moved(string key, string value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Db.DatabasePath)!);
        using (var connection = Db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = SqliteMigrations.Scripts[0] + SqliteMigrations.Scripts[1] +
                "PRAGMA user_version = 2; INSERT INTO kv (key, value) VALUES ($key, $value);";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }

        var store = await Db.OpenStoreAsync();

        Assert.Null(await store.FindProvisionedAssistantAsync("Assistants"));
        Assert.Equal(0, Db.Scalar<long>("SELECT (SELECT count(*) FROM secrets) + (SELECT count(*) FROM followed_places);"));
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
