using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

internal static partial class Log
{
    [LoggerMessage(1800, LogLevel.Warning, "The settings of the place of {Conversation} could not be read from the store; the turn uses the configured settings")]
    public static partial void PlaceSettingsUnavailable(ILogger logger, ConversationKey conversation, Exception exception);
}
