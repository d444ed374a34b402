using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>Log messages of the notifications between instances (event ids 3200–3299, shared with the web chat's relay).</summary>
internal static partial class Log
{
    [LoggerMessage(3210, LogLevel.Debug, "A notification to the other instances failed; they find the work at their next poll")]
    public static partial void NotifyFailed(ILogger logger, Exception exception);

    [LoggerMessage(3211, LogLevel.Debug, "A notification from another instance could not be read; ignored")]
    public static partial void NotificationUnreadable(ILogger logger, Exception exception);
}
