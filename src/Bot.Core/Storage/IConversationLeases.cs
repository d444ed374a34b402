using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// A bot instance as the store sees it: when it started and when it last said it was alive, and which process registered
/// it (a token unique to that process; null when none was given), so that a second process with the same id is noticed.
/// </summary>
public sealed record InstanceRecord(string InstanceId, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, string? ProcessToken = null);

/// <summary>Which instance runs a conversation's turns, and until when unless it renews.</summary>
public sealed record ConversationLease(ConversationKey Key, string OwnerInstanceId, DateTimeOffset ExpiresAt);

/// <summary>What one instance asks of the instance that runs a conversation's turn.</summary>
public enum ConversationSignal
{
    /// <summary>Stop the running answer.</summary>
    Stop,
    /// <summary>Stop the running answer: the conversation is being reset.</summary>
    Reset,
}

/// <summary>
/// Conversation leases shared by every instance on one store: only the holder of a conversation's lease runs its turns.
/// A lease is taken when it is free, expired or already the caller's; only its owner renews or releases it. Each call
/// is one atomic step, so of two instances racing for one conversation exactly one wins. Every time comes from the
/// caller's clock (<c>now</c>), the same on every instance within the clocks' skew. Safe to call concurrently.
/// </summary>
public interface IConversationLeases
{
    /// <summary>
    /// Records an instance as started now by the process <paramref name="processToken"/> (a restarted instance with the
    /// same id starts afresh, with its new token).
    /// </summary>
    Task RegisterInstanceAsync(string instanceId, DateTimeOffset now, string? processToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The instance's heartbeat: its row says it is alive at <paramref name="now"/> and every lease it holds is extended
    /// to <paramref name="now"/> + <paramref name="leaseTimeout"/>, in one step. Returns how many leases it renewed.
    /// </summary>
    Task<int> HeartbeatAsync(string instanceId, DateTimeOffset now, TimeSpan leaseTimeout, CancellationToken cancellationToken = default);

    /// <summary>Every instance that registered and has not left, with its start and last heartbeat.</summary>
    Task<IReadOnlyList<InstanceRecord>> GetInstancesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the instance's row and releases every lease it holds (a clean shutdown): its conversations are free at
    /// once. Returns how many leases it released.
    /// </summary>
    Task<int> ReleaseAllLeasesAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the conversation's lease until <paramref name="now"/> + <paramref name="leaseTimeout"/> when it is free,
    /// expired (at or before <paramref name="now"/>) or already held by <paramref name="instanceId"/>. Returns false
    /// when another instance holds a live lease.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(ConversationKey key, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the lease to <paramref name="now"/> + <paramref name="leaseTimeout"/> when <paramref name="instanceId"/>
    /// still holds it. Returns false when the lease is gone or another instance's.
    /// </summary>
    Task<bool> RenewLeaseAsync(ConversationKey key, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default);

    /// <summary>Releases the lease when <paramref name="instanceId"/> holds it. Returns false otherwise.</summary>
    Task<bool> ReleaseLeaseAsync(ConversationKey key, string instanceId, CancellationToken cancellationToken = default);

    /// <summary>The conversation's lease (live or expired), or null when none is recorded.</summary>
    Task<ConversationLease?> FindLeaseAsync(ConversationKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Conversations with messages still Accepted or Processing and no live lease (none, or expired at
    /// <paramref name="now"/>), the one with the oldest waiting message first, at most <paramref name="limit"/>: the
    /// work a failed or busy instance left for others to pick up.
    /// </summary>
    Task<IReadOnlyList<ConversationKey>> GetUnleasedWaitingConversationsAsync(DateTimeOffset now, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>Leaves a signal for whichever instance holds the conversation's lease.</summary>
    Task AddSignalAsync(ConversationKey key, ConversationSignal signal, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes (removes and returns, oldest first) the signals for conversations whose lease <paramref name="instanceId"/>
    /// holds, made at or after <paramref name="notBefore"/>; older signals of any conversation are removed unread, so that
    /// a signal no one took does not stop a later turn.
    /// </summary>
    Task<IReadOnlyList<(ConversationKey Key, ConversationSignal Signal)>> TakeSignalsAsync(string instanceId, DateTimeOffset notBefore,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The conversation's messages still Accepted or Processing, oldest first, with what they said, whichever instance
    /// accepted them: what its lease holder coalesces into the next turn (or closes, when a crash left them Processing).
    /// </summary>
    Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(ConversationKey key, CancellationToken cancellationToken = default);
}
