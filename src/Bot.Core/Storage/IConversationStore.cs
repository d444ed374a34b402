using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// The bot's memory: conversation mappings, the inbox of accepted messages, turns with their usage,
/// and a registry of every remote object the bot created. Implemented by Bot.Storage.Sqlite (and later
/// Postgres). All methods are safe to call concurrently.
/// </summary>
public interface IConversationStore
{
    /// <summary>Creates or migrates the schema. Called once at start; safe to call again.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an incoming message in the inbox with status <see cref="InboxStatus.Accepted"/>.
    /// Returns its inbox id, or null when the channel already delivered a message with that id.
    /// </summary>
    Task<long?> TryAcceptAsync(IncomingMessage message, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The active (not archived) mapping of a chat conversation, if there is one.</summary>
    Task<ConversationRecord?> FindConversationAsync(ConversationKey key, CancellationToken cancellationToken = default);

    /// <summary>The active mapping of a chat conversation, created (with no remote ids yet) when missing.</summary>
    Task<ConversationRecord> GetOrCreateConversationAsync(ConversationKey key, string backendKind, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Stores the remote conversation (or thread) id and vector store id of a mapping.</summary>
    Task SetRemoteIdsAsync(long conversationId, string? remoteConversationId, string? vectorStoreId,
        CancellationToken cancellationToken = default);

    /// <summary>Archives a mapping: the chat conversation starts afresh on its next message.</summary>
    Task ArchiveConversationAsync(long conversationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Adds a remote object to the registry, owned by the given conversation. Recording it twice is harmless.</summary>
    Task RecordRemoteObjectAsync(long conversationId, RemoteObjectRecord remoteObject, CancellationToken cancellationToken = default);

    /// <summary>The remote objects a conversation owns that have not been deleted, oldest first.</summary>
    Task<IReadOnlyList<RemoteObjectRecord>> GetRemoteObjectsAsync(long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Marks a remote object as deleted (a deletion that was requested for it is then done).</summary>
    Task MarkRemoteObjectDeletedAsync(Backends.RemoteObjectKind kind, string remoteId, DateTimeOffset now,
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

    /// <summary>
    /// Starts a turn for the given inbox messages: a running turn row, the messages moved to
    /// <see cref="InboxStatus.Processing"/>, the conversation's last-active time updated. Returns the turn id.
    /// </summary>
    Task<long> StartTurnAsync(long conversationId, IReadOnlyList<long> inboxIds, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes a turn: its outcome is written and its inbox messages become Answered (completed,
    /// incomplete), Failed (failed, interrupted) or Cancelled. What those messages said (text, attachments, the
    /// author's name) is forgotten then; their ids, statuses and times stay.
    /// </summary>
    Task FinishTurnAsync(long turnId, TurnOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the status of inbox messages that are not part of a turn (dropped by a reset, refused). A status that ends
    /// a message (Answered, Failed, Cancelled) forgets what it said, as <see cref="FinishTurnAsync"/> does.
    /// </summary>
    Task SetInboxStatusAsync(IReadOnlyList<long> inboxIds, InboxStatus status, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Messages of a channel still Accepted or Processing (left by a stop or a crash), oldest first.</summary>
    Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>A turn by id, or null.</summary>
    Task<TurnRecord?> GetTurnAsync(long turnId, CancellationToken cancellationToken = default);

    /// <summary>A value the bot remembers across restarts (for example the id of an assistant it created).</summary>
    Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a value the bot remembers across restarts.</summary>
    Task SetValueAsync(string key, string value, CancellationToken cancellationToken = default);
}
