using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Storage.Postgres;

/// <summary>Instances and conversation leases (<see cref="IConversationLeases"/>).</summary>
/// <remarks>
/// Taking a lease is one <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c>: PostgreSQL locks the conflicting row, so of two
/// instances racing for a free or expired lease exactly one gets a row back.
/// </remarks>
public sealed partial class PostgresConversationStore : IConversationLeases
{
    private const string UpsertInstanceSql =
        "INSERT INTO instances (instance_id, started_at_ms, heartbeat_at_ms, process_token) VALUES (@instance_id, @now, @now, @process_token) " +
        "ON CONFLICT (instance_id) DO UPDATE SET started_at_ms = excluded.started_at_ms, heartbeat_at_ms = excluded.heartbeat_at_ms, " +
        "process_token = excluded.process_token;";

    // A heartbeat of an instance whose row was removed (it shut down, then went on) puts the row back.
    private const string BeatInstanceSql =
        "INSERT INTO instances (instance_id, started_at_ms, heartbeat_at_ms) VALUES (@instance_id, @now, @now) " +
        "ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at_ms = excluded.heartbeat_at_ms;";

    private const string RenewInstanceLeasesSql =
        "UPDATE conversation_leases SET expires_at_ms = @expires_at_ms WHERE owner_instance_id = @instance_id;";

    private const string SelectInstancesSql =
        "SELECT instance_id, started_at_ms, heartbeat_at_ms, process_token FROM instances ORDER BY instance_id;";

    private const string DeleteInstanceSql = "DELETE FROM instances WHERE instance_id = @instance_id;";

    private const string ReleaseInstanceLeasesSql = "DELETE FROM conversation_leases WHERE owner_instance_id = @instance_id;";

    private const string AcquireLeaseSql =
        "INSERT INTO conversation_leases (channel, chat_conversation_id, owner_instance_id, acquired_at_ms, expires_at_ms) " +
        "VALUES (@channel, @chat_conversation_id, @instance_id, @now, @expires_at_ms) " +
        "ON CONFLICT (channel, chat_conversation_id) DO UPDATE SET " +
        "acquired_at_ms = CASE WHEN conversation_leases.owner_instance_id = excluded.owner_instance_id " +
        "THEN conversation_leases.acquired_at_ms ELSE excluded.acquired_at_ms END, " +
        "owner_instance_id = excluded.owner_instance_id, expires_at_ms = excluded.expires_at_ms " +
        "WHERE conversation_leases.owner_instance_id = excluded.owner_instance_id OR conversation_leases.expires_at_ms <= @now " +
        "RETURNING owner_instance_id;";

    private const string RenewLeaseSql =
        "UPDATE conversation_leases SET expires_at_ms = @expires_at_ms " +
        "WHERE channel = @channel AND chat_conversation_id = @chat_conversation_id AND owner_instance_id = @instance_id;";

    private const string ReleaseLeaseSql =
        "DELETE FROM conversation_leases " +
        "WHERE channel = @channel AND chat_conversation_id = @chat_conversation_id AND owner_instance_id = @instance_id;";

    private const string FindLeaseSql =
        "SELECT channel, chat_conversation_id, owner_instance_id, expires_at_ms FROM conversation_leases " +
        "WHERE channel = @channel AND chat_conversation_id = @chat_conversation_id;";

    // Reads every unfinished inbox row, through the small partial index of unfinished rows.
    private const string SelectUnleasedWaitingSql =
        "SELECT i.channel, i.chat_conversation_id FROM inbox i " +
        "WHERE i.status IN ('Accepted', 'Processing') AND NOT EXISTS (SELECT 1 FROM conversation_leases l " +
        "WHERE l.channel = i.channel AND l.chat_conversation_id = i.chat_conversation_id AND l.expires_at_ms > @now) " +
        "GROUP BY i.channel, i.chat_conversation_id ORDER BY min(i.id) LIMIT @limit;";

    private const string SelectUnfinishedInboxOfConversationSql =
        $"SELECT {StoreRows.InboxColumns} FROM inbox " +
        "WHERE channel = @channel AND chat_conversation_id = @chat_conversation_id AND status IN ('Accepted', 'Processing') ORDER BY id;";

    private const string InsertSignalSql =
        "INSERT INTO conversation_signals (channel, chat_conversation_id, kind, created_at_ms) " +
        "VALUES (@channel, @chat_conversation_id, @kind, @now);";

    // The table holds a few rows at most (signals live until the next poll of the holder), so it is read whole.
    private const string TakeSignalsSql =
        "DELETE FROM conversation_signals s WHERE s.created_at_ms < @not_before OR EXISTS (SELECT 1 FROM conversation_leases l " +
        "WHERE l.owner_instance_id = @instance_id AND l.channel = s.channel AND l.chat_conversation_id = s.chat_conversation_id) " +
        "RETURNING s.id, s.channel, s.chat_conversation_id, s.kind, s.created_at_ms;";

    /// <inheritdoc />
    public async Task AddSignalAsync(ConversationKey key, ConversationSignal signal, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(InsertSignalSql, cancellationToken,
            ("channel", key.Channel), ("chat_conversation_id", key.ConversationId), ("kind", signal.ToString()), ("now", now)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<(ConversationKey Key, ConversationSignal Signal)>> TakeSignalsAsync(string instanceId, DateTimeOffset notBefore,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var taken = await ReadAllAsync(TakeSignalsSql,
            reader => (Id: reader.GetInt64(0), Key: new ConversationKey(reader.GetString(1), reader.GetString(2)),
                Signal: reader.GetEnum<ConversationSignal>(3), At: reader.GetTime(4)),
            cancellationToken, ("instance_id", instanceId), ("not_before", notBefore)).ConfigureAwait(false);
        return [.. taken.Where(t => t.At >= notBefore).OrderBy(t => t.Id).Select(t => (t.Key, t.Signal))];
    }

    /// <inheritdoc />
    public async Task RegisterInstanceAsync(string instanceId, DateTimeOffset now, string? processToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await ExecuteAsync(UpsertInstanceSql, cancellationToken, ("instance_id", instanceId), ("now", now), ("process_token", processToken))
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<int> HeartbeatAsync(string instanceId, DateTimeOffset now, TimeSpan leaseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using (var beat = Command(connection, transaction, BeatInstanceSql, ("instance_id", instanceId), ("now", now)))
                await beat.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var renew = Command(connection, transaction, RenewInstanceLeasesSql,
                ("instance_id", instanceId), ("expires_at_ms", now + leaseTimeout));
            return await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceRecord>> GetInstancesAsync(CancellationToken cancellationToken = default) =>
        ReadAllAsync(SelectInstancesSql,
            reader => new InstanceRecord(reader.GetString(0), reader.GetTime(1), reader.GetTime(2), reader.IsDBNull(3) ? null : reader.GetString(3)),
            cancellationToken);

    /// <inheritdoc />
    public Task<int> ReleaseAllLeasesAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using (var delete = Command(connection, transaction, DeleteInstanceSql, ("instance_id", instanceId)))
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var release = Command(connection, transaction, ReleaseInstanceLeasesSql, ("instance_id", instanceId));
            return await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(ConversationKey key, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return ReadAsync(async connection =>
        {
            await using var command = Command(connection, AcquireLeaseSql,
                ("channel", key.Channel),
                ("chat_conversation_id", key.ConversationId),
                ("instance_id", instanceId),
                ("now", now),
                ("expires_at_ms", now + leaseTimeout));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(ConversationKey key, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await ExecuteAsync(RenewLeaseSql, cancellationToken,
            ("channel", key.Channel),
            ("chat_conversation_id", key.ConversationId),
            ("instance_id", instanceId),
            ("expires_at_ms", now + leaseTimeout)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseLeaseAsync(ConversationKey key, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await ExecuteAsync(ReleaseLeaseSql, cancellationToken,
            ("channel", key.Channel),
            ("chat_conversation_id", key.ConversationId),
            ("instance_id", instanceId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<ConversationLease?> FindLeaseAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        FindOneAsync(FindLeaseSql,
            reader => new ConversationLease(new ConversationKey(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetTime(3)),
            cancellationToken, ("channel", key.Channel), ("chat_conversation_id", key.ConversationId));

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationKey>> GetUnleasedWaitingConversationsAsync(DateTimeOffset now, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAllAsync(SelectUnleasedWaitingSql, reader => new ConversationKey(reader.GetString(0), reader.GetString(1)),
            cancellationToken, ("now", now), ("limit", limit));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        ReadAllAsync(SelectUnfinishedInboxOfConversationSql, StoreRows.Inbox, cancellationToken,
            ("channel", key.Channel), ("chat_conversation_id", key.ConversationId));
}
