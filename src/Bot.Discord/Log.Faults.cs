using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>Log messages of the message intake while the store is unreachable (event ids 3420–3429).</summary>
internal static partial class Log
{
    [LoggerMessage(3420, LogLevel.Warning, "Discord message {MessageId} could not be stored now; it waits in memory and is tried again")]
    public static partial void MessageHeld(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(3421, LogLevel.Error, "Discord message {MessageId} is dropped: {Size} messages already wait for the store (Discord:RetryBufferSize)")]
    public static partial void HeldMessageDropped(ILogger logger, string messageId, int size);

    [LoggerMessage(3422, LogLevel.Information, "The store took every Discord message that waited for it")]
    public static partial void HeldMessagesTaken(ILogger logger);

    [LoggerMessage(3423, LogLevel.Error, "{Count} Discord messages that waited for the store are lost at shutdown")]
    public static partial void HeldMessagesLost(ILogger logger, int count);

    [LoggerMessage(3424, LogLevel.Warning, "Discord message {MessageId}, which waited for the store, could not be taken")]
    public static partial void HeldMessageFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(3425, LogLevel.Warning, "A Discord interaction ({Name}) could not be handled: the store is unreachable; the user was told")]
    public static partial void InteractionStoreUnavailable(ILogger logger, string name, Exception exception);
}
