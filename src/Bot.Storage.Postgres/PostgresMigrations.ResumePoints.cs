namespace Bot.Storage.Postgres;

internal static partial class PostgresMigrations
{
    // Answers that survive (issue 16): a running turn keeps where its answer stands (the remote response, the last
    // sequence number seen, whether it can be resumed, the function tool running) and the platform ids of its reply's
    // messages (JSON; NULL = nothing stored yet), so that a restart or a takeover finishes it into the same messages.
    private const string VersionResumePoints = """
        ALTER TABLE turns ADD COLUMN resume_response_id text;
        ALTER TABLE turns ADD COLUMN resume_sequence bigint NOT NULL DEFAULT 0;
        ALTER TABLE turns ADD COLUMN resume_resumable boolean NOT NULL DEFAULT false;
        ALTER TABLE turns ADD COLUMN resume_running_tool text;
        ALTER TABLE turns ADD COLUMN reply_message_ids text;
        """;
}
