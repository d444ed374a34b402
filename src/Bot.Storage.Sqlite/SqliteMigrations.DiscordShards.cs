namespace Bot.Storage.Sqlite;

internal static partial class SqliteMigrations
{
    // Discord shards spread over instances (issue 14): one lease row per shard of a shard count (its owner, until when,
    // and the gateway session saved with it so that the next holder can RESUME), and per identify bucket the time of
    // the last IDENTIFY by any instance (Discord allows one per bucket per 5 s, counted per bot).
    private const string VersionDiscordShards = """
        CREATE TABLE IF NOT EXISTS discord_shard_leases (
            shard_count        INTEGER NOT NULL,
            shard_id           INTEGER NOT NULL,
            owner_instance_id  TEXT    NOT NULL,
            expires_at_ms      INTEGER NOT NULL,
            session_id         TEXT,
            resume_gateway_url TEXT,
            sequence           INTEGER,
            bot_user_id        TEXT,
            application_id     TEXT,
            updated_at_ms      INTEGER NOT NULL,
            PRIMARY KEY (shard_count, shard_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS discord_identify_buckets (
            bucket           INTEGER NOT NULL PRIMARY KEY,
            identified_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;
}
