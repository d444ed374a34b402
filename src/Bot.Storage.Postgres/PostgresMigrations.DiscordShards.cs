namespace Bot.Storage.Postgres;

internal static partial class PostgresMigrations
{
    // Discord shards spread over instances (issue 14): one lease row per shard of a shard count (its owner, until when,
    // and the gateway session saved with it so that the next holder can RESUME), and per identify bucket the time of
    // the last IDENTIFY by any instance (Discord allows one per bucket per 5 s, counted per bot).
    private const string VersionDiscordShards = """
        CREATE TABLE discord_shard_leases (
            shard_count        integer NOT NULL,
            shard_id           integer NOT NULL,
            owner_instance_id  text    NOT NULL,
            expires_at_ms      bigint  NOT NULL,
            session_id         text,
            resume_gateway_url text,
            sequence           bigint,
            bot_user_id        text,
            application_id     text,
            updated_at_ms      bigint  NOT NULL,
            PRIMARY KEY (shard_count, shard_id)
        );

        CREATE TABLE discord_identify_buckets (
            bucket           integer PRIMARY KEY,
            identified_at_ms bigint  NOT NULL
        );
        """;
}
