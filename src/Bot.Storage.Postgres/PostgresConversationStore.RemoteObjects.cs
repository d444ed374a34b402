using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>The registry of remote objects (<see cref="IRemoteObjectRegistry"/>).</summary>
public sealed partial class PostgresConversationStore
{
    // Recording the same object twice keeps the first record.
    private const string InsertRemoteObjectSql =
        "INSERT INTO remote_objects (conversation_id, kind, remote_id, label, purpose, created_at_ms) " +
        "VALUES (@conversation_id, @kind, @remote_id, @label, @purpose, @now) ON CONFLICT (kind, remote_id) DO NOTHING;";

    private const string SelectLiveRemoteObjectsSql =
        "SELECT kind, remote_id, label, purpose FROM remote_objects " +
        "WHERE conversation_id = @conversation_id AND deleted_at_ms IS NULL ORDER BY id;";

    private const string MarkRemoteObjectDeletedSql =
        "UPDATE remote_objects SET deleted_at_ms = coalesce(deleted_at_ms, @now), next_delete_at_ms = NULL " +
        "WHERE kind = @kind AND remote_id = @remote_id;";

    // The reset's own attempt is the first; the sweep may make the next from @retry_at.
    private const string RequestRemoteDeletionSql =
        "UPDATE remote_objects SET delete_requested_at_ms = coalesce(delete_requested_at_ms, @now), delete_attempts = 1, " +
        "next_delete_at_ms = @retry_at WHERE conversation_id = @conversation_id AND deleted_at_ms IS NULL " +
        "RETURNING kind, remote_id, label, purpose;";

    // The conditions repeat the partial index ix_remote_objects_delete_due. SKIP LOCKED: two instances sweeping at once
    // claim different rows instead of the same ones.
    private const string SelectDueDeletionsSql =
        "SELECT r.id, c.channel, c.chat_conversation_id, c.backend_kind, r.kind, r.remote_id, r.label, r.purpose, r.delete_attempts " +
        "FROM remote_objects r JOIN conversations c ON c.id = r.conversation_id " +
        "WHERE r.deleted_at_ms IS NULL AND r.next_delete_at_ms IS NOT NULL AND r.next_delete_at_ms <= @now " +
        "ORDER BY r.next_delete_at_ms, r.id LIMIT @limit FOR UPDATE OF r SKIP LOCKED;";

    private const string SelectNextDeletionDueSql =
        "SELECT min(next_delete_at_ms) FROM remote_objects WHERE deleted_at_ms IS NULL AND next_delete_at_ms IS NOT NULL;";

    private const string ClaimDeletionSql =
        "UPDATE remote_objects SET delete_attempts = @attempt, next_delete_at_ms = @next_at WHERE id = @id;";

    /// <inheritdoc />
    public Task RecordRemoteObjectAsync(long conversationId, RemoteObjectRecord remoteObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteObject);
        ArgumentException.ThrowIfNullOrEmpty(remoteObject.RemoteId, nameof(remoteObject));
        // The port passes no time here, so the store's clock dates the record.
        return ExecuteAsync(InsertRemoteObjectSql, cancellationToken,
            ("conversation_id", conversationId),
            ("kind", remoteObject.Kind.ToString()),
            ("remote_id", remoteObject.RemoteId),
            ("label", remoteObject.Label),
            ("purpose", remoteObject.Purpose),
            ("now", Now));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteObjectRecord>> GetRemoteObjectsAsync(long conversationId, CancellationToken cancellationToken = default) =>
        ReadAllAsync(SelectLiveRemoteObjectsSql, r => ReadRemoteObject(r, 0), cancellationToken, ("conversation_id", conversationId));

    /// <inheritdoc />
    public Task MarkRemoteObjectDeletedAsync(RemoteObjectKind kind, string remoteId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteId);
        return ExecuteAsync(MarkRemoteObjectDeletedSql, cancellationToken, ("kind", kind.ToString()), ("remote_id", remoteId), ("now", now));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteObjectRecord>> ArchiveAndRequestDeletionAsync(long conversationId, DateTimeOffset now,
        DateTimeOffset? retryAt, CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<RemoteObjectRecord>>(async (connection, transaction) =>
        {
            await UpdateConversationAsync(connection, transaction, ArchiveConversationSql, conversationId, now, cancellationToken)
                .ConfigureAwait(false);
            await using var request = Command(connection, transaction, RequestRemoteDeletionSql,
                ("conversation_id", conversationId), ("now", now), ("retry_at", retryAt));
            return await ReadRowsAsync(request, r => ReadRemoteObject(r, 0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteDeletion>> ClaimDueDeletionsAsync(DateTimeOffset now, RetrySchedule schedule, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return InTransactionAsync<IReadOnlyList<RemoteDeletion>>(async (connection, transaction) =>
        {
            List<(long Id, RemoteDeletion Deletion)> due;
            await using (var select = Command(connection, transaction, SelectDueDeletionsSql, ("now", now), ("limit", limit)))
            {
                due = await ReadRowsAsync(select, reader =>
                {
                    var attempt = reader.GetInt32(8) + 1;
                    return (reader.GetInt64(0), new RemoteDeletion(new ConversationKey(reader.GetString(1), reader.GetString(2)),
                        reader.GetString(3), ReadRemoteObject(reader, 4), attempt, schedule.NextAfter(attempt, now)));
                }, cancellationToken).ConfigureAwait(false);
            }

            if (due.Count > 0)
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var (id, deletion) in due)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(ClaimDeletionSql)
                        .Bind(("id", id), ("attempt", deletion.Attempt), ("next_at", deletion.NextAttemptAt)));
                }

                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return due.ConvertAll(d => d.Deletion);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDeletionDueAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, SelectNextDeletionDueSql);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long due
                ? PostgresValues.FromUnixMs(due)
                : (DateTimeOffset?)null;
        }, cancellationToken);

    // Kind, remote id, label and purpose, in that order from `first`.
    private static RemoteObjectRecord ReadRemoteObject(NpgsqlDataReader reader, int first) => new(
        reader.GetEnum<RemoteObjectKind>(first), reader.GetString(first + 1), reader.GetStringOrNull(first + 2), reader.GetStringOrNull(first + 3));
}
