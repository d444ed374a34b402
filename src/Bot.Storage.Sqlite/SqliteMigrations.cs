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
internal static class SqliteMigrations
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

    /// <summary>The scripts in order; the schema version of a database is how many of them it has had.</summary>
    public static IReadOnlyList<string> Scripts { get; } = [Version1, Version2];

    /// <summary>The schema version this build creates.</summary>
    public static int LatestVersion => Scripts.Count;

    /// <summary>Brings the database up to <see cref="LatestVersion"/>, one transaction per script. Returns the version.</summary>
    public static int Apply(SqliteConnection connection, string path, ILogger logger)
    {
        var version = ReadVersion(connection, transaction: null);
        ThrowIfNewer(version, path);
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
