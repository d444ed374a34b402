using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>Conversation mappings (<see cref="IConversationMappings"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task<ConversationRecord?> FindConversationAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.FindActiveConversation);
            return FindActiveConversation(command, key);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<ConversationRecord> GetOrCreateConversationAsync(ConversationKey key, string backendKind, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendKind);
        // Nearly every call finds the mapping: look without queueing behind the writer first.
        var existing = await FindConversationAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
            return existing;

        // Look again under the write lock: a concurrent caller may have created it since.
        return await WriteAsync(_ =>
        {
            var found = FindActiveConversation(WriterCommand(StoreSql.FindActiveConversation, null), key);
            if (found is not null)
                return found;

            var insert = WriterCommand(StoreSql.InsertConversation, null,
                ("$channel", key.Channel),
                ("$chat_conversation_id", key.ConversationId),
                ("$backend_kind", backendKind),
                ("$now", now));
            using var reader = insert.ExecuteReader();
            reader.Read();
            return StoreRows.Conversation(reader);
        }, inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task SetRemoteIdsAsync(long conversationId, string? remoteConversationId, string? vectorStoreId,
        CancellationToken cancellationToken = default) =>
        WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.SetRemoteIds, null,
                ("$id", conversationId),
                ("$remote_conversation_id", remoteConversationId),
                ("$vector_store_id", vectorStoreId));
            ThrowIfNoConversation(command.ExecuteNonQuery(), conversationId);
            return true;
        }, inTransaction: false, cancellationToken);

    /// <inheritdoc />
    public Task ArchiveConversationAsync(long conversationId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction =>
        {
            UpdateConversation(StoreSql.ArchiveConversation, conversationId, now, transaction);
            return true;
        }, inTransaction: false, cancellationToken);

    // Runs an update of one conversation row that takes its id and a time (archive, touch); it must exist.
    private void UpdateConversation(string sql, long conversationId, DateTimeOffset now, SqliteTransaction? transaction)
    {
        var command = WriterCommand(sql, transaction, ("$id", conversationId), ("$now", now));
        ThrowIfNoConversation(command.ExecuteNonQuery(), conversationId);
    }

    private static ConversationRecord? FindActiveConversation(SqliteCommand command, ConversationKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key.Channel, nameof(key));
        ArgumentException.ThrowIfNullOrEmpty(key.ConversationId, nameof(key));
        using var reader = command.Bind(("$channel", key.Channel), ("$chat_conversation_id", key.ConversationId)).ExecuteReader();
        return reader.Read() ? StoreRows.Conversation(reader) : null;
    }


    private static void ThrowIfNoConversation(int changedRows, long conversationId)
    {
        if (changedRows == 0)
            throw new InvalidOperationException($"The store has no conversation with id {conversationId}.");
    }
}
