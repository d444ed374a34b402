using Microsoft.Extensions.Logging;

namespace Bot.Teams;

/// <summary>The Teams channel's log messages (event ids 6000–6999). Tokens and secrets are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Teams channel ready on POST /api/messages (app type {AppType})")]
    public static partial void Ready(ILogger logger, string appType);

    [LoggerMessage(6001, LogLevel.Warning,
        "Teams runs in local mode: no Teams:AppId, so /api/messages accepts unauthenticated requests from this machine only. Set Teams:AppId and Teams:AppPassword for Microsoft Teams.")]
    public static partial void LocalMode(ILogger logger);

    [LoggerMessage(6002, LogLevel.Warning, "Rejected a request to /api/messages with {Status}: {Reason} (from {Remote})")]
    public static partial void Rejected(ILogger logger, int status, string reason, string? remote);

    [LoggerMessage(6003, LogLevel.Warning, "Rejected an activity that is not valid JSON or lacks its type or conversation")]
    public static partial void BadActivity(ILogger logger);

    [LoggerMessage(6004, LogLevel.Information, "Loaded {Count} signing keys from {MetadataUrl}")]
    public static partial void SigningKeysLoaded(ILogger logger, int count, string metadataUrl);

    [LoggerMessage(6005, LogLevel.Warning, "Refreshing the signing keys from {MetadataUrl} failed; the cached keys stay in use")]
    public static partial void SigningKeysRefreshFailed(ILogger logger, string metadataUrl, Exception exception);

    [LoggerMessage(6006, LogLevel.Debug, "Acquired a Bot Connector token ({AppType}, expires in {ExpiresIn} s)")]
    public static partial void TokenAcquired(ILogger logger, string appType, long expiresIn);

    [LoggerMessage(6007, LogLevel.Warning, "Connector {Method} answered {Status}; retry {Attempt} in {Delay}")]
    public static partial void ConnectorRetry(ILogger logger, string method, int status, TimeSpan delay, int attempt);

    [LoggerMessage(6100, LogLevel.Information, "Teams admin {ObjectId} ran {Command} {Setting} at {Place}")]
    public static partial void SettingsCommand(ILogger logger, string? objectId, string command, string? setting, string place);

    [LoggerMessage(6101, LogLevel.Information, "Refused a settings command from {UserId} at {Place}: not in Teams:AdminUserIds")]
    public static partial void CommandRefused(ILogger logger, string? userId, string place);
}
