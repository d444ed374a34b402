using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>The core's log messages (event ids 1000–1999).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Warning, "Writing reply message {Index} failed")]
    public static partial void WriteFailed(ILogger logger, int index, Exception exception);

    [LoggerMessage(1001, LogLevel.Error, "The final text of reply message {Index} could not be delivered")]
    public static partial void FinalDeliveryFailed(ILogger logger, int index);

    [LoggerMessage(1002, LogLevel.Error, "A turn in {Conversation} crashed")]
    public static partial void LaneTurnCrashed(ILogger logger, ConversationKey conversation, Exception exception);

    [LoggerMessage(1003, LogLevel.Warning, "Function tool {Name} timed out after {Timeout}")]
    public static partial void ToolTimedOut(ILogger logger, string name, TimeSpan timeout);

    [LoggerMessage(1004, LogLevel.Warning, "Function tool {Name} failed")]
    public static partial void ToolFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(1005, LogLevel.Warning, "Turn {TurnId} in {Conversation} (messages {MessageIds}) failed: {Kind}")]
    public static partial void TurnFailed(ILogger logger, long turnId, ConversationKey conversation, string messageIds, string kind, Exception exception);

    [LoggerMessage(1006, LogLevel.Information, "Turn {TurnId} in {Conversation} was cancelled ({Reason})")]
    public static partial void TurnCancelled(ILogger logger, long turnId, ConversationKey conversation, string reason);

    [LoggerMessage(1040, LogLevel.Error, "Turn {TurnId} in {Conversation} ended, but its end could not be recorded")]
    public static partial void TurnRecordFailed(ILogger logger, long turnId, ConversationKey conversation, Exception exception);

    [LoggerMessage(1007, LogLevel.Warning, "Attachment {FileName} of message {MessageId} in {Conversation} was skipped: {Reason}")]
    public static partial void AttachmentSkipped(ILogger logger, string fileName, string messageId, ConversationKey conversation, string reason, Exception? exception);

    [LoggerMessage(1008, LogLevel.Warning,
        "Deleting remote {Kind} {RemoteId} of {Conversation} failed (attempt {Attempt}); it stays in the registry and is tried again from {RetryAt:O}")]
    public static partial void RemoteDeleteFailed(ILogger logger, string kind, string remoteId, ConversationKey conversation, int attempt,
        DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(1009, LogLevel.Information, "Reset {Conversation}: archived, {Deleted} remote objects deleted, {Failed} failed, {Dropped} queued messages dropped")]
    public static partial void ConversationReset(ILogger logger, ConversationKey conversation, int deleted, int failed, int dropped);

    [LoggerMessage(1010, LogLevel.Information, "Recovery on {Channel}: {Requeued} waiting messages queued again, {Interrupted} interrupted turns reported")]
    public static partial void Recovered(ILogger logger, string channel, int requeued, int interrupted);

    [LoggerMessage(1011, LogLevel.Debug, "Message {MessageId} on {Channel} was already accepted; ignored")]
    public static partial void DuplicateMessage(ILogger logger, string messageId, string channel);

    [LoggerMessage(1012, LogLevel.Warning, "No channel named {Channel} is running; cannot reply in {Conversation}")]
    public static partial void ChannelMissing(ILogger logger, string channel, ConversationKey conversation);

    [LoggerMessage(1013, LogLevel.Information, "{Conversation} was on the {OldBackend} backend; starting a new remote conversation on {NewBackend}")]
    public static partial void BackendSwitched(ILogger logger, ConversationKey conversation, string oldBackend, string newBackend);

    [LoggerMessage(1014, LogLevel.Error,
        "Gave up deleting remote {Kind} {RemoteId} of {Conversation} after {Attempts} attempts; it stays in the registry, marked for deletion: delete it by hand")]
    public static partial void RemoteDeleteAbandoned(ILogger logger, string kind, string remoteId, ConversationKey conversation, int attempts,
        Exception exception);

    [LoggerMessage(1015, LogLevel.Information, "Deleted remote {Kind} {RemoteId} of {Conversation} on attempt {Attempt}")]
    public static partial void RemoteObjectSwept(ILogger logger, string kind, string remoteId, ConversationKey conversation, int attempt);

    [LoggerMessage(1016, LogLevel.Warning, "The sweep of requested remote deletions failed; it runs again in {Interval}")]
    public static partial void SweepFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(1050, LogLevel.Error, "Background work failed: {What}")]
    public static partial void BackgroundWorkFailed(ILogger logger, string what, Exception exception);
}
