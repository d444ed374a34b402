namespace Bot.Storage.Sqlite;

internal static partial class SqliteMigrations
{
    // The place ledger (issue 13): cached input tokens on the user rows; per place a row per day and model (budgets and
    // totals), a row per month, user and model (top users), and the users' last display names. Only ids, names and
    // counts: never message text. Every per-turn read is a range of a primary key.
    private const string VersionPlaceUsage = """
        ALTER TABLE usage_ledger ADD COLUMN cached_input_tokens INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE IF NOT EXISTS place_usage (
            place_id            TEXT    NOT NULL,
            day                 TEXT    NOT NULL,
            model               TEXT    NOT NULL,
            turns               INTEGER NOT NULL DEFAULT 0,
            input_tokens        INTEGER NOT NULL DEFAULT 0,
            output_tokens       INTEGER NOT NULL DEFAULT 0,
            cached_input_tokens INTEGER NOT NULL DEFAULT 0,
            updated_at_ms       INTEGER NOT NULL,
            PRIMARY KEY (place_id, day, model)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS place_user_usage (
            place_id            TEXT    NOT NULL,
            month               TEXT    NOT NULL,
            channel             TEXT    NOT NULL,
            user_id             TEXT    NOT NULL,
            model               TEXT    NOT NULL,
            turns               INTEGER NOT NULL DEFAULT 0,
            input_tokens        INTEGER NOT NULL DEFAULT 0,
            output_tokens       INTEGER NOT NULL DEFAULT 0,
            cached_input_tokens INTEGER NOT NULL DEFAULT 0,
            updated_at_ms       INTEGER NOT NULL,
            PRIMARY KEY (place_id, month, channel, user_id, model)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_users (
            channel       TEXT    NOT NULL,
            user_id       TEXT    NOT NULL,
            display_name  TEXT    NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (channel, user_id)
        ) WITHOUT ROWID;
        """;

    // Where an accepted message's conversation lives (its place path as JSON, outermost first; NULL: the conversation
    // alone), so that a message answered after a restart, or by another instance, gets its place's settings and budgets.
    // Ids and kinds only; kept after the message is finished with, like its other ids.
    private const string VersionInboxPlaces = """
        ALTER TABLE inbox ADD COLUMN places TEXT;
        """;
}
