using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>The registry of remote objects (<see cref="IRemoteObjectRegistry"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task RecordRemoteObjectAsync(long conversationId, RemoteObjectRecord remoteObject,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteObject);
        ArgumentException.ThrowIfNullOrEmpty(remoteObject.RemoteId, nameof(remoteObject));
        // The port passes no time here, so the store's clock dates the record.
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.InsertRemoteObject, null,
                ("$conversation_id", conversationId),
                ("$kind", remoteObject.Kind.ToString()),
                ("$remote_id", remoteObject.RemoteId),
                ("$label", remoteObject.Label),
                ("$purpose", remoteObject.Purpose),
                ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteObjectRecord>> GetRemoteObjectsAsync(long conversationId,
        CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<RemoteObjectRecord>>(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectLiveRemoteObjects, ("$conversation_id", conversationId));
            return ReadRemoteObjects(command);
        }, cancellationToken);

    /// <inheritdoc />
    public Task MarkRemoteObjectDeletedAsync(RemoteObjectKind kind, string remoteId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteId);
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.MarkRemoteObjectDeleted, null,
                ("$kind", kind.ToString()),
                ("$remote_id", remoteId),
                ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteObjectRecord>> ArchiveAndRequestDeletionAsync(long conversationId, DateTimeOffset now,
        DateTimeOffset? retryAt, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<RemoteObjectRecord>>(transaction =>
        {
            UpdateConversation(StoreSql.ArchiveConversation, conversationId, now, transaction);
            var request = WriterCommand(StoreSql.RequestRemoteDeletion, transaction,
                ("$conversation_id", conversationId),
                ("$now", now),
                ("$retry_at", retryAt));
            return ReadRemoteObjects(request);
        }, inTransaction: true, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteDeletion>> ClaimDueDeletionsAsync(DateTimeOffset now, RetrySchedule schedule, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return WriteAsync<IReadOnlyList<RemoteDeletion>>(transaction =>
        {
            var select = WriterCommand(StoreSql.SelectDueDeletions, transaction, ("$now", now), ("$limit", limit));
            var due = new List<(long Id, RemoteDeletion Deletion)>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var attempt = reader.GetInt32(8) + 1;
                    due.Add((reader.GetInt64(0), new RemoteDeletion(new ConversationKey(reader.GetString(1), reader.GetString(2)),
                        reader.GetString(3), ReadRemoteObject(reader, 4), attempt, schedule.NextAfter(attempt, now))));
                }
            }

            foreach (var (id, deletion) in due)
            {
                var claim = WriterCommand(StoreSql.ClaimDeletion, transaction,
                    ("$id", id),
                    ("$attempt", deletion.Attempt),
                    ("$next_at", deletion.NextAttemptAt));
                claim.ExecuteNonQuery();
            }

            return due.ConvertAll(d => d.Deletion);
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDeletionDueAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectNextDeletionDue);
            return command.ExecuteScalar() is long due ? SqliteValues.FromUnixMs(due) : (DateTimeOffset?)null;
        }, cancellationToken);

    // Kind, remote id, label and purpose, in that order from `first`.
    private static List<RemoteObjectRecord> ReadRemoteObjects(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var records = new List<RemoteObjectRecord>();
        while (reader.Read())
            records.Add(ReadRemoteObject(reader, 0));
        return records;
    }

    private static RemoteObjectRecord ReadRemoteObject(SqliteDataReader reader, int first) => new(
        reader.GetEnum<RemoteObjectKind>(first), reader.GetString(first + 1), reader.GetStringOrNull(first + 2), reader.GetStringOrNull(first + 3));
}
