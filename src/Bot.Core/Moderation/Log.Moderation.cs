using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

// The moderation gate's messages (event ids 1230–1239). Never the message text: categories, ids and keys only.
internal static partial class Log
{
    [LoggerMessage(1230, LogLevel.Warning, "Message {MessageId} by {UserId} in {Conversation} was flagged by moderation ({Categories}); the turn is refused")]
    public static partial void InputFlagged(ILogger logger, ConversationKey conversation, string messageId, string userId, string categories);

    [LoggerMessage(1231, LogLevel.Warning, "The moderation check failed (in {Conversation}); failing open: turns go on unchecked until it works again")]
    public static partial void ModerationUnavailableOpen(ILogger logger, ConversationKey conversation, Exception exception);

    [LoggerMessage(1232, LogLevel.Warning, "The moderation check failed in {Conversation}; failing closed: the turn is refused")]
    public static partial void ModerationUnavailableClosed(ILogger logger, ConversationKey conversation, Exception exception);

    [LoggerMessage(1233, LogLevel.Information, "The moderation check works again")]
    public static partial void ModerationRecovered(ILogger logger);

    [LoggerMessage(1234, LogLevel.Error, "A moderation event in {Conversation} could not be recorded")]
    public static partial void ModerationRecordFailed(ILogger logger, ConversationKey conversation, Exception exception);
}
