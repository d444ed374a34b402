namespace Bot.Storage.Postgres;

internal static partial class PostgresMigrations
{
    // Several instances on one database (issue 14): the instances and their heartbeats, and one lease row per
    // conversation that some instance runs or ran (its owner and until when). The index by owner serves heartbeats and
    // clean shutdowns; a signal (stop, reset) waits for the lease holder to take it; the partial inbox index serves the lease holder's read of one conversation's waiting messages.
    private const string VersionLeases = """
        CREATE TABLE instances (
            instance_id     text   PRIMARY KEY,
            started_at_ms   bigint NOT NULL,
            heartbeat_at_ms bigint NOT NULL
        );

        CREATE TABLE conversation_leases (
            channel              text   NOT NULL,
            chat_conversation_id text   NOT NULL,
            owner_instance_id    text   NOT NULL,
            acquired_at_ms       bigint NOT NULL,
            expires_at_ms        bigint NOT NULL,
            PRIMARY KEY (channel, chat_conversation_id)
        );
        CREATE INDEX ix_conversation_leases_owner ON conversation_leases (owner_instance_id);

        CREATE TABLE conversation_signals (
            id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            channel              text   NOT NULL,
            chat_conversation_id text   NOT NULL,
            kind                 text   NOT NULL,
            created_at_ms        bigint NOT NULL
        );

        CREATE INDEX ix_inbox_unfinished_conversation
            ON inbox (channel, chat_conversation_id, id) WHERE status IN ('Accepted', 'Processing');
        """;
}
