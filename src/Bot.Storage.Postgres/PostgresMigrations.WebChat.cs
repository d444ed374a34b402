namespace Bot.Storage.Postgres;

internal static partial class PostgresMigrations
{
    // Web chat on several instances (issue 14): transcripts in the store (one row per message, in the order first saved;
    // seq keeps that order when a message is replaced), and the live events of a thread, kept briefly for the pages
    // connected to other instances.
    private const string VersionWebChat = """
        CREATE TABLE web_messages (
            seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            thread_id   text   NOT NULL,
            message_id  text   NOT NULL,
            json        text   NOT NULL,
            saved_at_ms bigint NOT NULL,
            UNIQUE (thread_id, message_id)
        );

        CREATE TABLE web_events (
            id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            thread_id          text   NOT NULL,
            origin_instance_id text   NOT NULL,
            type               text   NOT NULL,
            json               text   NOT NULL,
            created_at_ms      bigint NOT NULL
        );
        """;
}
