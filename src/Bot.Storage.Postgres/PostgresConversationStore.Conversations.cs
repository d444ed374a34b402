using Bot.Core.Conversations;
using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>Conversation mappings (<see cref="IConversationMappings"/>).</summary>
public sealed partial class PostgresConversationStore
{
    internal const string FindActiveConversationSql =
        $"SELECT {StoreRows.ConversationColumns} FROM conversations " +
        "WHERE channel = @channel AND chat_conversation_id = @chat_conversation_id AND archived_at_ms IS NULL;";

    // A racing creator's row wins: this insert then does nothing and the caller reads that row.
    private const string InsertConversationSql =
        "INSERT INTO conversations (channel, chat_conversation_id, backend_kind, created_at_ms, last_active_at_ms) " +
        "VALUES (@channel, @chat_conversation_id, @backend_kind, @now, @now) " +
        "ON CONFLICT (channel, chat_conversation_id) WHERE archived_at_ms IS NULL DO NOTHING " +
        $"RETURNING {StoreRows.ConversationColumns};";

    private const string SetRemoteIdsSql =
        "UPDATE conversations SET remote_conversation_id = @remote_conversation_id, vector_store_id = @vector_store_id WHERE id = @id;";

    // Archiving twice keeps the first time.
    private const string ArchiveConversationSql =
        "UPDATE conversations SET archived_at_ms = coalesce(archived_at_ms, @now) WHERE id = @id;";

    private const string TouchConversationSql = "UPDATE conversations SET last_active_at_ms = @now WHERE id = @id;";

    /// <inheritdoc />
    public Task<ConversationRecord?> FindConversationAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(key);
        return FindOneAsync(FindActiveConversationSql, StoreRows.Conversation, cancellationToken,
            ("channel", key.Channel), ("chat_conversation_id", key.ConversationId));
    }

    /// <inheritdoc />
    public async Task<ConversationRecord> GetOrCreateConversationAsync(ConversationKey key, string backendKind, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendKind);
        ThrowIfInvalid(key);
        return await ReadAsync(async connection =>
        {
            // Find, else insert, else find the row a racing caller inserted; an archive in between sends us round again.
            while (true)
            {
                await using (var find = Command(connection, FindActiveConversationSql,
                    ("channel", key.Channel), ("chat_conversation_id", key.ConversationId)))
                {
                    if (await ReadRowsAsync(find, StoreRows.Conversation, cancellationToken).ConfigureAwait(false) is [var found])
                        return found;
                }

                await using var insert = Command(connection, InsertConversationSql,
                    ("channel", key.Channel), ("chat_conversation_id", key.ConversationId), ("backend_kind", backendKind), ("now", now));
                if (await ReadRowsAsync(insert, StoreRows.Conversation, cancellationToken).ConfigureAwait(false) is [var created])
                    return created;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetRemoteIdsAsync(long conversationId, string? remoteConversationId, string? vectorStoreId,
        CancellationToken cancellationToken = default) =>
        ThrowIfNoConversation(await ExecuteAsync(SetRemoteIdsSql, cancellationToken,
            ("id", conversationId), ("remote_conversation_id", remoteConversationId), ("vector_store_id", vectorStoreId)).ConfigureAwait(false),
            conversationId);

    /// <inheritdoc />
    public async Task ArchiveConversationAsync(long conversationId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ThrowIfNoConversation(await ExecuteAsync(ArchiveConversationSql, cancellationToken, ("id", conversationId), ("now", now))
            .ConfigureAwait(false), conversationId);

    // Runs an update of one conversation row that takes its id and a time (archive, touch) in a transaction; it must exist.
    private static async Task UpdateConversationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        long conversationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, ("id", conversationId), ("now", now));
        ThrowIfNoConversation(await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), conversationId);
    }

    private static void ThrowIfInvalid(ConversationKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key.Channel, nameof(key));
        ArgumentException.ThrowIfNullOrEmpty(key.ConversationId, nameof(key));
    }


    private static void ThrowIfNoConversation(int changedRows, long conversationId)
    {
        if (changedRows == 0)
            throw new InvalidOperationException($"The store has no conversation with id {conversationId}.");
    }
}
