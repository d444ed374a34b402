using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>Discord shard leases and identify buckets (<see cref="IShardLeases"/>).</summary>
/// <remarks>
/// Taking a lease or an identify slot is one <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c>: PostgreSQL locks the
/// conflicting row, so of two instances racing for one exactly one gets a row back.
/// </remarks>
public sealed partial class PostgresConversationStore : IShardLeases
{
    private const string ShardLeaseColumns =
        "shard_count, shard_id, owner_instance_id, expires_at_ms, session_id, resume_gateway_url, sequence, bot_user_id, application_id";

    private const string SelectShardLeasesSql =
        $"SELECT {ShardLeaseColumns} FROM discord_shard_leases WHERE shard_count = @shard_count ORDER BY shard_id;";

    private const string AcquireShardSql =
        "INSERT INTO discord_shard_leases (shard_count, shard_id, owner_instance_id, expires_at_ms, updated_at_ms) " +
        "VALUES (@shard_count, @shard_id, @instance_id, @expires_at_ms, @now) " +
        "ON CONFLICT (shard_count, shard_id) DO UPDATE SET owner_instance_id = excluded.owner_instance_id, " +
        "expires_at_ms = excluded.expires_at_ms, updated_at_ms = excluded.updated_at_ms " +
        "WHERE discord_shard_leases.owner_instance_id = excluded.owner_instance_id OR discord_shard_leases.expires_at_ms <= @now " +
        $"RETURNING {ShardLeaseColumns};";

    private const string RenewShardSql =
        "UPDATE discord_shard_leases SET expires_at_ms = @expires_at_ms, updated_at_ms = @now, session_id = @session_id, " +
        "resume_gateway_url = @resume_gateway_url, sequence = @sequence, bot_user_id = @bot_user_id, application_id = @application_id " +
        "WHERE shard_count = @shard_count AND shard_id = @shard_id AND owner_instance_id = @instance_id AND expires_at_ms > @now;";

    private const string ReleaseShardSql =
        "UPDATE discord_shard_leases SET expires_at_ms = 0 " +
        "WHERE shard_count = @shard_count AND shard_id = @shard_id AND owner_instance_id = @instance_id AND expires_at_ms > 0;";

    private const string TakeIdentifySlotSql =
        "INSERT INTO discord_identify_buckets (bucket, identified_at_ms) VALUES (@bucket, @now) " +
        "ON CONFLICT (bucket) DO UPDATE SET identified_at_ms = excluded.identified_at_ms " +
        "WHERE discord_identify_buckets.identified_at_ms <= @not_after;";

    /// <inheritdoc />
    public Task<IReadOnlyList<ShardLease>> GetShardLeasesAsync(int shardCount, CancellationToken cancellationToken = default) =>
        ReadAllAsync(SelectShardLeasesSql, ReadShardLease, cancellationToken, ("shard_count", shardCount));

    /// <inheritdoc />
    public Task<ShardLease?> TryAcquireShardAsync(int shardCount, int shardId, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return FindOneAsync(AcquireShardSql, ReadShardLease, cancellationToken, ("shard_count", shardCount), ("shard_id", shardId),
            ("instance_id", instanceId), ("now", now), ("expires_at_ms", now + leaseTimeout));
    }

    /// <inheritdoc />
    public async Task<bool> RenewShardAsync(int shardCount, int shardId, string instanceId, ShardSession? session, DateTimeOffset now,
        TimeSpan leaseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await ExecuteAsync(RenewShardSql, cancellationToken, ("shard_count", shardCount), ("shard_id", shardId),
            ("instance_id", instanceId), ("now", now), ("expires_at_ms", now + leaseTimeout),
            ("session_id", session?.SessionId), ("resume_gateway_url", session?.ResumeGatewayUrl), ("sequence", session?.Sequence),
            ("bot_user_id", session?.BotUserId), ("application_id", session?.ApplicationId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseShardAsync(int shardCount, int shardId, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await ExecuteAsync(ReleaseShardSql, cancellationToken, ("shard_count", shardCount), ("shard_id", shardId),
            ("instance_id", instanceId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> TryTakeIdentifySlotAsync(int bucket, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(TakeIdentifySlotSql, cancellationToken, ("bucket", bucket), ("now", now), ("not_after", now - interval))
            .ConfigureAwait(false) == 1;

    private static ShardLease ReadShardLease(NpgsqlDataReader reader)
    {
        var sessionId = reader.GetStringOrNull(4);
        var session = sessionId is null ? null
            : new ShardSession(sessionId, reader.GetString(5), reader.GetInt64OrNull(6), reader.GetString(7), reader.GetString(8));
        return new ShardLease(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetTime(3), session);
    }
}
