namespace Bot.Storage.Sqlite;

internal static partial class SqliteMigrations
{
    // Flagged input, one row per flagged message: categories only (a JSON array of names), never the text. Counted per
    // user through the index, so a count stays cheap as the table grows.
    private const string VersionModerationEvents = """
        CREATE TABLE IF NOT EXISTS moderation_events (
            id              INTEGER PRIMARY KEY,
            channel         TEXT    NOT NULL,
            user_id         TEXT    NOT NULL,
            conversation_id TEXT    NOT NULL,
            categories      TEXT    NOT NULL DEFAULT '[]',
            at_ms           INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_moderation_events_user ON moderation_events (channel, user_id, at_ms);
        """;
}
