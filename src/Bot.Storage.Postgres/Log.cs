using Microsoft.Extensions.Logging;

namespace Bot.Storage.Postgres;

/// <summary>Source-generated log messages of the PostgreSQL store (EventId block 8000–8049).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information,
        Message = "PostgreSQL store ready at {Database}, schema version {Version}")]
    public static partial void StoreReady(ILogger logger, string database, int version);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information,
        Message = "Applied PostgreSQL migration {Version} to {Database}")]
    public static partial void MigrationApplied(ILogger logger, int version, string database);
}
