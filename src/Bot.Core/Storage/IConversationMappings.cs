using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// The mapping of each chat conversation to its remote conversation (or thread) and vector store. At most one mapping
/// of a chat conversation is active; archived ones stay as history. Safe to call concurrently.
/// </summary>
public interface IConversationMappings
{
    /// <summary>The active (not archived) mapping of a chat conversation, if there is one.</summary>
    Task<ConversationRecord?> FindConversationAsync(ConversationKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The active mapping of a chat conversation, created (with no remote ids yet) when missing. Concurrent calls for one
    /// key return the same mapping.
    /// </summary>
    Task<ConversationRecord> GetOrCreateConversationAsync(ConversationKey key, string backendKind, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Stores the remote conversation (or thread) id and vector store id of a mapping; it must exist.</summary>
    Task SetRemoteIdsAsync(long conversationId, string? remoteConversationId, string? vectorStoreId,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Archives a mapping: the chat conversation starts afresh on its next message. Archiving twice keeps the first
    /// time; the mapping must exist.
    /// </summary>
    Task ArchiveConversationAsync(long conversationId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
