using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>Log messages of answers that survive a cut, a Stop and a restart (event ids 3100–3199).</summary>
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Warning, "The resume point of turn {TurnId} could not be stored; a restart now may not finish its answer")]
    public static partial void ResumePointSaveFailed(ILogger logger, long turnId, Exception exception);

    [LoggerMessage(3101, LogLevel.Warning, "Cancelling remote response {ResponseId} of {Conversation} failed; it may run to its end")]
    public static partial void RemoteCancelFailed(ILogger logger, string responseId, ConversationKey conversation, Exception exception);

    [LoggerMessage(3102, LogLevel.Information, "Turn {TurnId} in {Conversation} is left running for the next start to finish (response {ResponseId})")]
    public static partial void TurnLeftForResume(ILogger logger, long turnId, ConversationKey conversation, string responseId);

    [LoggerMessage(3103, LogLevel.Information, "Finishing interrupted turn {TurnId} in {Conversation} from response {ResponseId} into {Messages} earlier messages")]
    public static partial void ResumingTurn(ILogger logger, long turnId, ConversationKey conversation, string responseId, int messages);

    [LoggerMessage(3104, LogLevel.Warning, "Interrupted turn {TurnId} in {Conversation} could not be finished: {Kind}")]
    public static partial void ResumeFailed(ILogger logger, long turnId, ConversationKey conversation, string kind, Exception exception);

    [LoggerMessage(3105, LogLevel.Information, "Interrupted turn {TurnId} in {Conversation} was finished after the restart ({Status})")]
    public static partial void ResumeFinished(ILogger logger, long turnId, ConversationKey conversation, string status);
}
