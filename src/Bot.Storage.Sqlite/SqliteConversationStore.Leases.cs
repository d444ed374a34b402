using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>Instances and conversation leases (<see cref="IConversationLeases"/>).</summary>
/// <remarks>
/// Every write is one statement or one IMMEDIATE transaction on the writer connection, which SQLite serializes with
/// the writers of any other process on the same file: two processes racing for a lease meet in the file's write lock.
/// </remarks>
public sealed partial class SqliteConversationStore : IConversationLeases
{
    // Not in StoreSql: it reads every unfinished inbox row (through the small partial index of unfinished rows), which
    // is the point of the query, so the plan check for key lookups does not apply.
    private const string SelectUnleasedWaiting =
        "SELECT i.channel, i.chat_conversation_id FROM inbox i INDEXED BY ix_inbox_unfinished_conversation " +
        "WHERE i.status IN ('Accepted', 'Processing') AND NOT EXISTS (SELECT 1 FROM conversation_leases l " +
        "WHERE l.channel = i.channel AND l.chat_conversation_id = i.chat_conversation_id AND l.expires_at_ms > $now) " +
        "GROUP BY i.channel, i.chat_conversation_id ORDER BY min(i.id) LIMIT $limit;";

    // Every row, on purpose: the table holds one row per running instance.
    private const string SelectInstances =
        "SELECT instance_id, started_at_ms, heartbeat_at_ms, process_token FROM instances ORDER BY instance_id;";

    private const string InsertSignal =
        "INSERT INTO conversation_signals (channel, chat_conversation_id, kind, created_at_ms) " +
        "VALUES ($channel, $chat_conversation_id, $kind, $now);";

    // The table holds a few rows at most (signals live until the next poll of the holder), so it is read whole.
    private const string TakeSignals =
        "DELETE FROM conversation_signals WHERE created_at_ms < $not_before OR EXISTS (SELECT 1 FROM conversation_leases l " +
        "WHERE l.owner_instance_id = $instance_id AND l.channel = conversation_signals.channel " +
        "AND l.chat_conversation_id = conversation_signals.chat_conversation_id) " +
        "RETURNING id, channel, chat_conversation_id, kind, created_at_ms;";

    /// <inheritdoc />
    public Task AddSignalAsync(ConversationKey key, ConversationSignal signal, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(_ => WriterCommand(InsertSignal, null,
                ("$channel", key.Channel), ("$chat_conversation_id", key.ConversationId), ("$kind", signal.ToString()), ("$now", now))
            .ExecuteNonQuery(), inTransaction: false, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<(ConversationKey Key, ConversationSignal Signal)>> TakeSignalsAsync(string instanceId, DateTimeOffset notBefore,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync<IReadOnlyList<(ConversationKey, ConversationSignal)>>(_ =>
        {
            using var reader = WriterCommand(TakeSignals, null, ("$instance_id", instanceId), ("$not_before", notBefore)).ExecuteReader();
            var taken = new List<(long Id, ConversationKey Key, ConversationSignal Signal, DateTimeOffset At)>();
            while (reader.Read())
                taken.Add((reader.GetInt64(0), new ConversationKey(reader.GetString(1), reader.GetString(2)), reader.GetEnum<ConversationSignal>(3), reader.GetTime(4)));
            return [.. taken.Where(t => t.At >= notBefore).OrderBy(t => t.Id).Select(t => (t.Key, t.Signal))];
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task RegisterInstanceAsync(string instanceId, DateTimeOffset now, string? processToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ => WriterCommand(StoreSql.UpsertInstance, null, ("$instance_id", instanceId), ("$now", now),
                ("$process_token", processToken)).ExecuteNonQuery(),
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> HeartbeatAsync(string instanceId, DateTimeOffset now, TimeSpan leaseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(transaction =>
        {
            WriterCommand(StoreSql.BeatInstance, transaction, ("$instance_id", instanceId), ("$now", now)).ExecuteNonQuery();
            return WriterCommand(StoreSql.RenewInstanceLeases, transaction,
                ("$instance_id", instanceId), ("$expires_at_ms", now + leaseTimeout)).ExecuteNonQuery();
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceRecord>> GetInstancesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<InstanceRecord>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectInstances);
            using var reader = command.ExecuteReader();
            var instances = new List<InstanceRecord>();
            while (reader.Read())
                instances.Add(new InstanceRecord(reader.GetString(0), reader.GetTime(1), reader.GetTime(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            return instances;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> ReleaseAllLeasesAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(transaction =>
        {
            WriterCommand(StoreSql.DeleteInstance, transaction, ("$instance_id", instanceId)).ExecuteNonQuery();
            return WriterCommand(StoreSql.ReleaseInstanceLeases, transaction, ("$instance_id", instanceId)).ExecuteNonQuery();
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(ConversationKey key, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ => WriterCommand(StoreSql.AcquireLease, null,
                ("$channel", key.Channel),
                ("$chat_conversation_id", key.ConversationId),
                ("$instance_id", instanceId),
                ("$now", now),
                ("$expires_at_ms", now + leaseTimeout)).ExecuteScalar() is string,
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(ConversationKey key, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ => WriterCommand(StoreSql.RenewLease, null,
                ("$channel", key.Channel),
                ("$chat_conversation_id", key.ConversationId),
                ("$instance_id", instanceId),
                ("$expires_at_ms", now + leaseTimeout)).ExecuteNonQuery() == 1,
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseLeaseAsync(ConversationKey key, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ => WriterCommand(StoreSql.ReleaseLease, null,
                ("$channel", key.Channel),
                ("$chat_conversation_id", key.ConversationId),
                ("$instance_id", instanceId)).ExecuteNonQuery() == 1,
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ConversationLease?> FindLeaseAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.FindLease,
                ("$channel", key.Channel), ("$chat_conversation_id", key.ConversationId));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new ConversationLease(new ConversationKey(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetTime(3))
                : null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationKey>> GetUnleasedWaitingConversationsAsync(DateTimeOffset now, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<ConversationKey>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectUnleasedWaiting, ("$now", now), ("$limit", limit));
            using var reader = command.ExecuteReader();
            var keys = new List<ConversationKey>();
            while (reader.Read())
                keys.Add(new ConversationKey(reader.GetString(0), reader.GetString(1)));
            return keys;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        ReadInboxAsync(StoreSql.SelectUnfinishedInboxOfConversation, cancellationToken,
            ("$channel", key.Channel), ("$chat_conversation_id", key.ConversationId));
}
