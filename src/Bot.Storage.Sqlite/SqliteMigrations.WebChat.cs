namespace Bot.Storage.Sqlite;

internal static partial class SqliteMigrations
{
    // Web chat on several instances (issue 14): transcripts in the store (one row per message, in the order first saved;
    // seq keeps that order when a message is replaced), and the live events of a thread, kept briefly for the pages
    // connected to other instances. AUTOINCREMENT: an event id is never given again after pruning, so readers that
    // remember the last id they read miss nothing.
    private const string VersionWebChat = """
        CREATE TABLE IF NOT EXISTS web_messages (
            seq         INTEGER PRIMARY KEY,
            thread_id   TEXT    NOT NULL,
            message_id  TEXT    NOT NULL,
            json        TEXT    NOT NULL,
            saved_at_ms INTEGER NOT NULL,
            UNIQUE (thread_id, message_id)
        );
        CREATE TABLE IF NOT EXISTS web_events (
            id                 INTEGER PRIMARY KEY AUTOINCREMENT,
            thread_id          TEXT    NOT NULL,
            origin_instance_id TEXT    NOT NULL,
            type               TEXT    NOT NULL,
            json               TEXT    NOT NULL,
            created_at_ms      INTEGER NOT NULL
        );
        """;
}
