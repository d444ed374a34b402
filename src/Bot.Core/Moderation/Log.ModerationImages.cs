using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

// Images in the moderation check (event ids 1350–1369). Never the image or its name: the message and conversation only.
internal static partial class Log
{
    [LoggerMessage(1350, LogLevel.Information, "An image of message {MessageId} in {Conversation} was not checked by moderation: {Reason}")]
    public static partial void ImageNotChecked(ILogger logger, string messageId, ConversationKey conversation, string reason);

    [LoggerMessage(1351, LogLevel.Information, "An image of message {MessageId} in {Conversation} could not be read for moderation; the turn goes on")]
    public static partial void ImageNotReadable(ILogger logger, string messageId, ConversationKey conversation, Exception exception);
}
