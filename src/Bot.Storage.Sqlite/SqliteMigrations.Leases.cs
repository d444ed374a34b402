namespace Bot.Storage.Sqlite;

internal static partial class SqliteMigrations
{
    // Several instances on one store (issue 14): the instances and their heartbeats, and one lease row per conversation
    // that some instance runs or ran (its owner and until when). The index by owner serves heartbeats and clean
    // shutdowns; a signal (stop, reset) waits for the lease holder to take it; the partial inbox index serves the lease holder's read of one conversation's waiting messages.
    private const string VersionLeases = """
        CREATE TABLE IF NOT EXISTS instances (
            instance_id     TEXT    NOT NULL PRIMARY KEY,
            started_at_ms   INTEGER NOT NULL,
            heartbeat_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS conversation_leases (
            channel              TEXT    NOT NULL,
            chat_conversation_id TEXT    NOT NULL,
            owner_instance_id    TEXT    NOT NULL,
            acquired_at_ms       INTEGER NOT NULL,
            expires_at_ms        INTEGER NOT NULL,
            PRIMARY KEY (channel, chat_conversation_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_conversation_leases_owner ON conversation_leases (owner_instance_id);
        CREATE TABLE IF NOT EXISTS conversation_signals (
            id                   INTEGER PRIMARY KEY,
            channel              TEXT    NOT NULL,
            chat_conversation_id TEXT    NOT NULL,
            kind                 TEXT    NOT NULL,
            created_at_ms        INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_inbox_unfinished_conversation
            ON inbox (channel, chat_conversation_id, id) WHERE status IN ('Accepted', 'Processing');
        """;
}
