using Microsoft.Extensions.Logging;

namespace Bot.Storage.Sqlite;

/// <summary>Source-generated log messages of the SQLite store (EventId block 3000–3999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "SQLite store ready at {Path}, schema version {Version}")]
    public static partial void StoreReady(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Applied SQLite migration {Version} to {Path}")]
    public static partial void MigrationApplied(ILogger logger, int version, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "The SQLite database {Path} can be read by other users; run chmod 600 on it (and on its -wal and -shm files) to keep the conversations private")]
    public static partial void DatabaseShared(ILogger logger, string path);
}
