namespace Bot.Core.Storage;

/// <summary>
/// A Discord gateway session as the instance that ran it last saved it: enough for another instance to RESUME it
/// (session id, resume URL and the last sequence number) and to route its events (the bot's user and application ids).
/// </summary>
public sealed record ShardSession(string SessionId, string ResumeGatewayUrl, long? Sequence, string BotUserId, string ApplicationId);

/// <summary>Which instance runs a Discord shard, until when unless it renews, and the session it saved last (if any).</summary>
public sealed record ShardLease(int ShardCount, int ShardId, string OwnerInstanceId, DateTimeOffset ExpiresAt, ShardSession? Session);

/// <summary>
/// Discord shard leases shared by every instance on one store (<c>Discord:ShardIds=auto</c>): only the holder of a
/// shard's lease connects it. A lease is taken when it is free, expired or already the caller's; only its owner renews
/// or releases it, and the session saved with it outlives the lease so that the next holder can resume. The identify
/// slots keep Discord's <c>max_concurrency</c> rule across instances. Each call is one atomic step; every time comes
/// from the caller's clock (<c>now</c>). Safe to call concurrently.
/// </summary>
public interface IShardLeases
{
    /// <summary>Every recorded lease (live or expired) of a bot with <paramref name="shardCount"/> shards, by shard id.</summary>
    Task<IReadOnlyList<ShardLease>> GetShardLeasesAsync(int shardCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the shard's lease until <paramref name="now"/> + <paramref name="leaseTimeout"/> when it is free, expired
    /// (at or before <paramref name="now"/>) or already the caller's, and returns it with the session saved last; null
    /// when another instance holds a live lease.
    /// </summary>
    Task<ShardLease?> TryAcquireShardAsync(int shardCount, int shardId, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the caller's lease to <paramref name="now"/> + <paramref name="leaseTimeout"/> and saves
    /// <paramref name="session"/> with it (null forgets the saved one). False when the caller no longer holds the lease
    /// (it expired and another instance took it): then nothing is written.
    /// </summary>
    Task<bool> RenewShardAsync(int shardCount, int shardId, string instanceId, ShardSession? session, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default);

    /// <summary>Frees the caller's lease at once, keeping its saved session for the next holder. False when the caller does not hold it.</summary>
    Task<bool> ReleaseShardAsync(int shardCount, int shardId, string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes identify bucket <paramref name="bucket"/> (shard id % max_concurrency) for an IDENTIFY at
    /// <paramref name="now"/> when its last identify, by any instance, was at least <paramref name="interval"/> ago.
    /// Of several instances racing for one bucket exactly one gets true.
    /// </summary>
    Task<bool> TryTakeIdentifySlotAsync(int bucket, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default);
}
