using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

internal static partial class Log
{
    [LoggerMessage(1060, LogLevel.Information, "Message {MessageId} of user {UserId} in {Conversation} was refused: a budget is used up")]
    public static partial void TurnRefused(ILogger logger, ConversationKey conversation, string messageId, string userId);

    [LoggerMessage(1061, LogLevel.Warning, "The budget check for {Conversation} could not read the usage ledger; the turn goes ahead")]
    public static partial void BudgetCheckFailed(ILogger logger, ConversationKey conversation, Exception exception);

    [LoggerMessage(1062, LogLevel.Error, "A turn in {Conversation} ended, but its usage could not be recorded in the ledger")]
    public static partial void UsageRecordFailed(ILogger logger, ConversationKey conversation, Exception exception);
}
