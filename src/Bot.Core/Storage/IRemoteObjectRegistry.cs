namespace Bot.Core.Storage;

/// <summary>
/// The registry of every remote object the bot created (conversations, threads, files, vector stores), each owned by
/// one conversation mapping, with whether it was deleted and, for a deletion that was asked for and has not worked
/// yet, when it is tried again. An object is known by its kind and remote id, once. Safe to call concurrently.
/// </summary>
public interface IRemoteObjectRegistry
{
    /// <summary>Adds a remote object to the registry, owned by the given conversation. Recording it twice keeps the first record.</summary>
    Task RecordRemoteObjectAsync(long conversationId, RemoteObjectRecord remoteObject, CancellationToken cancellationToken = default);

    /// <summary>The remote objects a conversation owns that have not been deleted, oldest first.</summary>
    Task<IReadOnlyList<RemoteObjectRecord>> GetRemoteObjectsAsync(long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Marks a remote object as deleted (a deletion that was requested for it is then done). Unknown objects are ignored.</summary>
    Task MarkRemoteObjectDeletedAsync(RemoteObjectKind kind, string remoteId, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Archives a mapping and, in the same step, requests the deletion of every remote object it owns: they stay in the
    /// registry, marked, until they are deleted. The caller makes the first attempt, counted as started now; should it
    /// not succeed, <see cref="ClaimDueDeletionsAsync"/> offers the object again from <paramref name="retryAt"/> (never,
    /// when null). A mapping archived any other way (a backend switch) keeps its objects as they are. Returns the objects.
    /// </summary>
    Task<IReadOnlyList<RemoteObjectRecord>> ArchiveAndRequestDeletionAsync(long conversationId, DateTimeOffset now, DateTimeOffset? retryAt,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> remote objects whose requested deletion is due at <paramref name="now"/>,
    /// earliest first, for one more attempt each. The attempt is counted and the next one scheduled by
    /// <paramref name="schedule"/> (none after the last) before the caller makes it, so an attempt cut short by a
    /// crash counts too, and an object is not offered again before its next attempt is due.
    /// </summary>
    Task<IReadOnlyList<RemoteDeletion>> ClaimDueDeletionsAsync(DateTimeOffset now, RetrySchedule schedule, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>When the earliest requested deletion that is still to be tried is due; null when none is.</summary>
    Task<DateTimeOffset?> GetNextDeletionDueAsync(CancellationToken cancellationToken = default);
}
