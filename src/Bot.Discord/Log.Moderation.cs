using Microsoft.Extensions.Logging;

namespace Bot.Discord;

// Moderation notices (event ids 5030–5039).
internal static partial class Log
{
    [LoggerMessage(5030, LogLevel.Warning, "The moderation notice could not be posted to channel {ChannelId}")]
    public static partial void ModerationAlertFailed(ILogger logger, string channelId, Exception exception);
}
