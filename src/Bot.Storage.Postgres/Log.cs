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

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning,
        Message = "PostgreSQL notification listener on {Database} lost its connection; reconnecting in {Delay} (instances fall back to polling meanwhile)")]
    public static partial void ListenerLost(ILogger logger, string database, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information,
        Message = "PostgreSQL notification listener on {Database} is listening to {Channels}")]
    public static partial void ListenerConnected(ILogger logger, string database, string channels);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "A subscriber of the store notifications on {Channel} failed")]
    public static partial void SubscriberFailed(ILogger logger, string channel, Exception exception);
}
