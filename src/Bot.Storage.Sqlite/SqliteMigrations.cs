using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Bot.Storage.Sqlite;

/// <summary>
/// The schema as an ordered list of scripts: script N (1-based) takes the database from
/// <c>PRAGMA user_version</c> N-1 to N. A script, once released, never changes; a new need is a new script.
/// </summary>
/// <remarks>
/// Timestamps are unix milliseconds (UTC) in INTEGER columns named <c>*_at_ms</c>; enums are stored by name.
/// </remarks>
internal static partial class SqliteMigrations
{
    private const string Version1 = """
        CREATE TABLE conversations (
            id                     INTEGER PRIMARY KEY,
            channel                TEXT    NOT NULL,
            chat_conversation_id   TEXT    NOT NULL,
            backend_kind           TEXT    NOT NULL,
            remote_conversation_id TEXT,
            vector_store_id        TEXT,
            created_at_ms          INTEGER NOT NULL,
            last_active_at_ms      INTEGER NOT NULL,
            archived_at_ms         INTEGER
        );
        -- One active mapping per chat conversation; archived rows are history and may repeat the key.
        CREATE UNIQUE INDEX ux_conversations_active_key
            ON conversations (channel, chat_conversation_id) WHERE archived_at_ms IS NULL;

        CREATE TABLE turns (
            id                INTEGER PRIMARY KEY,
            conversation_id   INTEGER NOT NULL REFERENCES conversations (id),
            status            TEXT    NOT NULL,
            started_at_ms     INTEGER NOT NULL,
            first_token_at_ms INTEGER,
            finished_at_ms    INTEGER,
            response_ids      TEXT    NOT NULL DEFAULT '[]',
            input_tokens      INTEGER NOT NULL DEFAULT 0,
            output_tokens     INTEGER NOT NULL DEFAULT 0,
            error             TEXT
        );
        CREATE INDEX ix_turns_conversation ON turns (conversation_id);

        CREATE TABLE inbox (
            id                   INTEGER PRIMARY KEY,
            channel              TEXT    NOT NULL,
            chat_conversation_id TEXT    NOT NULL,
            message_id           TEXT    NOT NULL,
            author_id            TEXT    NOT NULL,
            author_name          TEXT    NOT NULL,
            text                 TEXT    NOT NULL,
            attachments          TEXT    NOT NULL DEFAULT '[]',
            reply_address        TEXT    NOT NULL,
            is_shared            INTEGER NOT NULL DEFAULT 0,
            received_at_ms       INTEGER NOT NULL,
            accepted_at_ms       INTEGER NOT NULL,
            status               TEXT    NOT NULL,
            turn_id              INTEGER REFERENCES turns (id),
            updated_at_ms        INTEGER NOT NULL,
            UNIQUE (channel, message_id)
        );
        -- Restart recovery reads only the unfinished rows of one channel; finished rows stay out of this index.
        CREATE INDEX ix_inbox_unfinished
            ON inbox (channel, id) WHERE status IN ('Accepted', 'Processing');
        CREATE INDEX ix_inbox_turn ON inbox (turn_id) WHERE turn_id IS NOT NULL;

        CREATE TABLE remote_objects (
            id              INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations (id),
            kind            TEXT    NOT NULL,
            remote_id       TEXT    NOT NULL,
            label           TEXT,
            purpose         TEXT,
            created_at_ms   INTEGER NOT NULL,
            deleted_at_ms   INTEGER,
            UNIQUE (kind, remote_id)
        );
        -- Not partial: the foreign key check of a new conversation row needs every remote object's owner.
        CREATE INDEX ix_remote_objects_conversation ON remote_objects (conversation_id, deleted_at_ms);

        CREATE TABLE kv (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    private const string Version2 = """
        -- A requested deletion (a reset) that has not succeeded yet is tried again by a sweep, with backoff.
        -- next_delete_at_ms is when the next attempt may start; NULL when none is due (never requested, deleted, given up).
        ALTER TABLE remote_objects ADD COLUMN delete_requested_at_ms INTEGER;
        ALTER TABLE remote_objects ADD COLUMN delete_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE remote_objects ADD COLUMN next_delete_at_ms INTEGER;
        CREATE INDEX ix_remote_objects_delete_due
            ON remote_objects (next_delete_at_ms) WHERE deleted_at_ms IS NULL AND next_delete_at_ms IS NOT NULL;

        -- The inbox keeps what a message said only until it is finished with; ids, statuses and times stay.
        UPDATE inbox SET text = '', author_name = '', attachments = '[]' WHERE status NOT IN ('Accepted', 'Processing');
        """;

    // The key/value table becomes typed records, one table per meaning (docs/data.md). The names moved here ('discord'
    // the Discord channel, 'web-chat' the web chat's secret, 'Assistants' the backend kind) are what the code used when
    // this was released. Keys nobody wrote on purpose are dropped with the table.
    private const string Version3 = """
        -- Places where the bot answers every message (a Discord thread it was mentioned in or created).
        CREATE TABLE followed_places (
            channel        TEXT    NOT NULL,
            place_id       TEXT    NOT NULL,
            followed_at_ms INTEGER NOT NULL,
            PRIMARY KEY (channel, place_id)
        ) WITHOUT ROWID;

        -- The web chat's visitors (by a hash of their cookie) and the thread each is on.
        CREATE TABLE visitors (
            visitor_id        TEXT    NOT NULL PRIMARY KEY,
            current_thread_id TEXT    NOT NULL,
            updated_at_ms     INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Who owns each visitor thread; visitor_id NULL: the thread was given up and is no one's.
        CREATE TABLE visitor_threads (
            thread_id     TEXT    NOT NULL PRIMARY KEY,
            visitor_id    TEXT,
            updated_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Secrets the bot made once; the first one stored under a name is kept for good.
        CREATE TABLE secrets (
            name          TEXT    NOT NULL PRIMARY KEY,
            value         BLOB    NOT NULL,
            created_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- The assistant a backend created for itself, with a hash of the settings it was made from.
        CREATE TABLE provisioned_assistants (
            backend_kind  TEXT    NOT NULL PRIMARY KEY,
            assistant_id  TEXT    NOT NULL,
            settings_hash TEXT    NOT NULL,
            updated_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- When a moved value was written is unknown: the migration's time stands in.
        INSERT INTO followed_places (channel, place_id, followed_at_ms)
            SELECT 'discord', substr(key, 16), CAST(strftime('%s', 'now') AS INTEGER) * 1000
            FROM kv WHERE key GLOB 'discord:thread:?*';
        INSERT INTO visitors (visitor_id, current_thread_id, updated_at_ms)
            SELECT substr(key, 13), value, CAST(strftime('%s', 'now') AS INTEGER) * 1000
            FROM kv WHERE key GLOB 'web:visitor:?*' AND value <> '';
        -- 'web:thread:' is 11 characters and ':owner' 6; an empty owner meant "given up".
        INSERT INTO visitor_threads (thread_id, visitor_id, updated_at_ms)
            SELECT substr(key, 12, length(key) - 17), nullif(value, ''), CAST(strftime('%s', 'now') AS INTEGER) * 1000
            FROM kv WHERE key GLOB 'web:thread:?*:owner';
        -- The secret was kept as base64 of 32 bytes; anything else was already replaced on use, as it is now by not moving it.
        INSERT INTO secrets (name, value, created_at_ms)
            SELECT 'web-chat', migration_base64_decode(value), CAST(strftime('%s', 'now') AS INTEGER) * 1000
            FROM kv WHERE key = 'web:secret' AND length(migration_base64_decode(value)) = 32;
        -- The value was "<assistant id>|<settings hash>"; an empty value meant "forgotten".
        INSERT INTO provisioned_assistants (backend_kind, assistant_id, settings_hash, updated_at_ms)
            SELECT 'Assistants', substr(value, 1, instr(value, '|') - 1), substr(value, instr(value, '|') + 1),
                   CAST(strftime('%s', 'now') AS INTEGER) * 1000
            FROM kv WHERE key = 'openai.assistants.assistant' AND instr(value, '|') > 1 AND length(value) > instr(value, '|');

        DROP TABLE kv;
        """;

    // Self-contained (IF NOT EXISTS, its own index only), so that it can be renumbered among other scripts.
    private const string VersionUsageLedger = """
        -- The usage ledger: one row per channel user, UTC day ('YYYY-MM-DD'), model and place, added to by every turn.
        -- The key leads with (channel, user_id, day), so a user's day or month is a range of the key, never a scan.
        -- place_id is the conversation key ('channel:conversation id') until places exist; then the place id.
        CREATE TABLE IF NOT EXISTS usage_ledger (
            channel       TEXT    NOT NULL,
            user_id       TEXT    NOT NULL,
            day           TEXT    NOT NULL,
            model         TEXT    NOT NULL,
            place_id      TEXT    NOT NULL,
            turns         INTEGER NOT NULL DEFAULT 0,
            input_tokens  INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (channel, user_id, day, model, place_id)
        ) WITHOUT ROWID;
        -- A place's totals per day (for per-place budgets and /usage later) read a range of this index.
        CREATE INDEX IF NOT EXISTS ix_usage_ledger_place ON usage_ledger (place_id, day);
        """;

    /// <summary>The scripts in order; the schema version of a database is how many of them it has had.</summary>
    public static IReadOnlyList<string> Scripts { get; } = [Version1, Version2, Version3, VersionModerationEvents, VersionUsageLedger, VersionPlaceSettings, VersionPlaceUsage, VersionInboxPlaces, VersionLeases, VersionDiscordShards, VersionResumePoints, VersionInstanceTokens, VersionWebChat];

    /// <summary>The schema version this build creates.</summary>
    public static int LatestVersion => Scripts.Count;

    /// <summary>Brings the database up to <see cref="LatestVersion"/>, one transaction per script. Returns the version.</summary>
    public static int Apply(SqliteConnection connection, string path, ILogger logger)
    {
        var version = ReadVersion(connection, transaction: null);
        ThrowIfNewer(version, path);
        AddMigrationFunctions(connection);
        while (version < LatestVersion)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            // Read again under the write lock of the transaction: another process may have migrated meanwhile.
            version = ReadVersion(connection, transaction);
            ThrowIfNewer(version, path);
            if (version >= LatestVersion)
                break;

            var next = version + 1;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                // PRAGMA takes no parameters; the version is an integer this code computed.
                command.CommandText = Scripts[version] + "\nPRAGMA user_version = " + next.ToString(CultureInfo.InvariantCulture) + ";";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            version = next;
            Log.MigrationApplied(logger, version, path);
        }

        return version;
    }

    /// <summary>The database's <c>PRAGMA user_version</c>.</summary>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Functions the scripts call that SQLite does not have. They are part of what a released script means, so they
    /// never change either.
    /// </summary>
    public static void AddMigrationFunctions(SqliteConnection connection) =>
        connection.CreateFunction<string?, byte[]?>("migration_base64_decode", DecodeBase64, isDeterministic: true);

    private static byte[]? DecodeBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        var buffer = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    private static void ThrowIfNewer(int version, string path)
    {
        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite database '{path}' has schema version {version}, but this build of the bot knows versions up to " +
                $"{LatestVersion}. It was written by a newer build: run that build, or point Storage:Sqlite:Path at another file.");
        }
    }
}
