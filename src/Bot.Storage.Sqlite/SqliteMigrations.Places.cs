namespace Bot.Storage.Sqlite;

internal static partial class SqliteMigrations
{
    // Settings set by admin commands: the value in force per place and name, and every change (a cleared setting is a
    // change with a NULL value). A place path's settings are one range read per place of the primary key.
    private const string VersionPlaceSettings = """
        CREATE TABLE IF NOT EXISTS place_settings (
            place_id      TEXT    NOT NULL,
            name          TEXT    NOT NULL,
            value         TEXT    NOT NULL,
            changed_by    TEXT    NOT NULL,
            changed_at_ms INTEGER NOT NULL,
            PRIMARY KEY (place_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS place_setting_history (
            id            INTEGER PRIMARY KEY,
            place_id      TEXT    NOT NULL,
            name          TEXT    NOT NULL,
            value         TEXT,
            changed_by    TEXT    NOT NULL,
            changed_at_ms INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_place_setting_history_place ON place_setting_history (place_id, id);
        """;
}
