using Microsoft.Extensions.Logging;

namespace Bot.Teams;

/// <summary>Log messages of store and key outages (event ids 3400–3409).</summary>
internal static partial class Log
{
    [LoggerMessage(3400, LogLevel.Warning, "A {ActivityType} activity could not be stored now; answered 503 so that the Bot Connector delivers it again")]
    public static partial void NotStored(ILogger logger, string? activityType, Exception exception);

    [LoggerMessage(3401, LogLevel.Warning, "No signing keys could be loaded to check a token; answered 503 so that the Bot Connector tries again")]
    public static partial void SigningKeysUnavailable(ILogger logger, Exception exception);
}
