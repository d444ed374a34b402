using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// The schema as an ordered list of scripts: script N (1-based) takes the database from version N-1 to N, recorded as
/// a row of <c>schema_version</c>. A script, once released, never changes; a new need is a new script.
/// </summary>
/// <remarks>
/// Every instance runs <see cref="ApplyAsync"/> at start. It takes a transaction-scoped advisory lock first, so
/// instances starting together queue there: the first applies the missing scripts, the others find them applied.
/// PostgreSQL runs DDL inside the transaction, so a script that fails leaves nothing half done.
/// </remarks>
internal static partial class PostgresMigrations
{
    /// <summary>The advisory lock key of the migration (an arbitrary constant: "bot.schema" in ASCII, truncated).</summary>
    public const long LockKey = 0x626F_742E_7363_6865;

    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at_ms bigint NOT NULL);";

    /// <summary>The scripts in order; the schema version of a database is how many of them it has had.</summary>
    public static IReadOnlyList<string> Scripts { get; } = [Version1, Version2, VersionInboxPlaces, VersionLeases, VersionDiscordShards, VersionResumePoints, VersionInstanceTokens, VersionWebChat];

    /// <summary>The schema version this build creates.</summary>
    public static int LatestVersion => Scripts.Count;

    /// <summary>Brings the database up to <see cref="LatestVersion"/> under the advisory lock. Returns the version.</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, string database, ILogger logger, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var applied = new List<int>();
            int version;
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("key", LockKey))
                    .ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, CreateVersionTable, cancellationToken).ConfigureAwait(false);
                await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version;", connection, transaction))
                    version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                if (version > LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The PostgreSQL database {database} has schema version {version}, but this build of the bot knows versions " +
                        $"up to {LatestVersion}. It was written by a newer build: run that build, or point " +
                        $"{PostgresStoreOptions.ConnectionStringKey} at another database.");
                }

                while (version < LatestVersion)
                {
                    await ExecuteAsync(connection, transaction, Scripts[version], cancellationToken).ConfigureAwait(false);
                    version++;
                    await ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, applied_at_ms) VALUES (@version, @now);",
                        cancellationToken, ("version", version), ("now", now)).ConfigureAwait(false);
                    applied.Add(version);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var number in applied)
                Log.MigrationApplied(logger, number, database);
            return version;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction).Bind(values);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
