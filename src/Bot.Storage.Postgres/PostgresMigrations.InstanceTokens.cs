namespace Bot.Storage.Postgres;

internal static partial class PostgresMigrations
{
    // Which process registered an instance id, so that a second process started with the same id (two bots on one machine
    // that both default to its name) is noticed at start instead of sharing the first one's leases.
    private const string VersionInstanceTokens = """
        ALTER TABLE instances ADD COLUMN process_token text;
        """;
}
