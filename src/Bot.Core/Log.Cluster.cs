using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>Log messages of conversation leases across instances (event ids 8100–8149).</summary>
internal static partial class Log
{
    [LoggerMessage(8100, LogLevel.Information, "Instance {InstanceId} joined the store's instances (lease timeout {LeaseTimeout})")]
    public static partial void InstanceRegistered(ILogger logger, string instanceId, TimeSpan leaseTimeout);

    [LoggerMessage(8101, LogLevel.Information, "Instance {InstanceId} left and handed back {Count} conversation leases")]
    public static partial void InstanceLeft(ILogger logger, string instanceId, int count);

    [LoggerMessage(8102, LogLevel.Warning, "The heartbeat of instance {InstanceId} failed; its leases expire unless a later one succeeds")]
    public static partial void HeartbeatFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(8103, LogLevel.Debug, "{Conversation} is leased by another instance; its messages wait in the store for it")]
    public static partial void LeasedElsewhere(ILogger logger, ConversationKey conversation);

    [LoggerMessage(8104, LogLevel.Warning, "The lease of {Conversation} could not be taken or handed back")]
    public static partial void LeaseFailed(ILogger logger, ConversationKey conversation, Exception exception);

    [LoggerMessage(8105, LogLevel.Warning, "Looking for conversations no instance runs failed")]
    public static partial void LeasePollFailed(ILogger logger, Exception exception);

    [LoggerMessage(8106, LogLevel.Warning, "{Conversation} had a turn interrupted on another instance ({Count} messages); closed and told")]
    public static partial void TakenOver(ILogger logger, ConversationKey conversation, int count);

    [LoggerMessage(8107, LogLevel.Warning, "Instance {InstanceId} could not hand back its leases at shutdown; they expire after the lease timeout")]
    public static partial void LeaveFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(8108, LogLevel.Information, "{Signal} of {Conversation} left for instance {InstanceId}, which runs its turn")]
    public static partial void SignalSent(ILogger logger, string signal, ConversationKey conversation, string instanceId);
}
