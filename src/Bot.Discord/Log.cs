using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>The Discord channel's log messages (event ids 5000–5999). Tokens are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "Discord gateway {Event} (shard {ShardId}/{ShardCount})")]
    public static partial void GatewayConnected(ILogger logger, string @event, int shardId, int shardCount);

    [LoggerMessage(5001, LogLevel.Warning, "Discord gateway connection dropped: {Reason}")]
    public static partial void GatewayDropped(ILogger logger, string reason);

    [LoggerMessage(5002, LogLevel.Information, "Discord gateway closed with code {Code} ({Description})")]
    public static partial void GatewayClosed(ILogger logger, int? code, string? description);

    [LoggerMessage(5003, LogLevel.Information, "Discord gateway reconnecting (close code {Code}, {Action}) in {Wait}")]
    public static partial void GatewayReconnecting(ILogger logger, int? code, string action, TimeSpan wait);

    [LoggerMessage(5004, LogLevel.Critical, "The Discord channel stopped: {Message} (close code {Code}). The rest of the bot keeps running.")]
    public static partial void GatewayFatal(ILogger logger, int code, string message);

    [LoggerMessage(5005, LogLevel.Warning, "Discord gateway: no heartbeat ACK within {Interval}; reconnecting to resume (zombie connection)")]
    public static partial void GatewayZombie(ILogger logger, TimeSpan interval);

    [LoggerMessage(5006, LogLevel.Information, "Discord gateway asked to reconnect (op 7)")]
    public static partial void GatewayReconnectRequested(ILogger logger);

    [LoggerMessage(5007, LogLevel.Warning, "Discord gateway: invalid session (op 9, resumable: {Resumable})")]
    public static partial void GatewayInvalidSession(ILogger logger, bool resumable);

    [LoggerMessage(5008, LogLevel.Warning, "Discord's daily session start budget is used up; identifying again in {Wait}")]
    public static partial void IdentifyBudgetExhausted(ILogger logger, TimeSpan wait);

    [LoggerMessage(5009, LogLevel.Warning, "Discord rate limit on {Route} ({Scope}); waiting {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, string route, string scope, TimeSpan retryAfter);

    [LoggerMessage(5010, LogLevel.Warning, "Discord answered {Route} with {Status} (attempt {Attempt}); retrying")]
    public static partial void ServerError(ILogger logger, string route, int status, int attempt);

    [LoggerMessage(5011, LogLevel.Information, "Discord bot ready as user {BotUserId}. Invite it with: {InviteUrl}")]
    public static partial void Invite(ILogger logger, string botUserId, string inviteUrl);

    [LoggerMessage(5012, LogLevel.Information, "Registered {Count} Discord slash commands")]
    public static partial void CommandsRegistered(ILogger logger, int count);

    [LoggerMessage(5013, LogLevel.Error, "Registering the Discord slash commands failed")]
    public static partial void CommandsFailed(ILogger logger, Exception exception);

    [LoggerMessage(5014, LogLevel.Error, "Handling the Discord {Event} event failed")]
    public static partial void DispatchFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(5015, LogLevel.Warning, "Attachment {FileName} refused: its host {Host} is not in Discord:AttachmentHosts")]
    public static partial void AttachmentHostRefused(ILogger logger, string fileName, string host);

    [LoggerMessage(5017, LogLevel.Warning, "Answering Discord interaction {Command} failed")]
    public static partial void InteractionFailed(ILogger logger, string command, Exception exception);

    [LoggerMessage(5020, LogLevel.Debug, "Discord message {MessageId} from user {UserId} not answered: {Reason}")]
    public static partial void MessageRefused(ILogger logger, string messageId, string userId, Adapter.Access reason);

    // 5018 ("the Discord channel is off") is retired: a channel without a token registers nothing that could log it.
    [LoggerMessage(5019, LogLevel.Critical, "The Discord channel stopped after an unexpected error; the rest of the bot keeps running")]
    public static partial void ChannelCrashed(ILogger logger, Exception exception);
}
