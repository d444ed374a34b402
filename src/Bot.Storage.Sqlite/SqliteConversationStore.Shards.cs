using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>Discord shard leases and identify buckets (<see cref="IShardLeases"/>).</summary>
/// <remarks>Each write is one statement on the writer connection, which SQLite serializes with every other process's writers.</remarks>
public sealed partial class SqliteConversationStore : IShardLeases
{
    private const string ShardLeaseColumns =
        "shard_count, shard_id, owner_instance_id, expires_at_ms, session_id, resume_gateway_url, sequence, bot_user_id, application_id";

    // Every row of one shard count, on purpose: a bot has a handful of shards.
    private const string SelectShardLeases =
        $"SELECT {ShardLeaseColumns} FROM discord_shard_leases WHERE shard_count = $shard_count ORDER BY shard_id;";

    // One statement, as for conversation leases: a free shard inserts; a taken one changes hands only when its lease
    // expired or is the caller's already. The saved session stays for the new holder.
    private const string AcquireShard =
        "INSERT INTO discord_shard_leases (shard_count, shard_id, owner_instance_id, expires_at_ms, updated_at_ms) " +
        "VALUES ($shard_count, $shard_id, $instance_id, $expires_at_ms, $now) " +
        "ON CONFLICT (shard_count, shard_id) DO UPDATE SET owner_instance_id = excluded.owner_instance_id, " +
        "expires_at_ms = excluded.expires_at_ms, updated_at_ms = excluded.updated_at_ms " +
        "WHERE discord_shard_leases.owner_instance_id = excluded.owner_instance_id OR discord_shard_leases.expires_at_ms <= $now " +
        $"RETURNING {ShardLeaseColumns};";

    private const string RenewShard =
        "UPDATE discord_shard_leases SET expires_at_ms = $expires_at_ms, updated_at_ms = $now, session_id = $session_id, " +
        "resume_gateway_url = $resume_gateway_url, sequence = $sequence, bot_user_id = $bot_user_id, application_id = $application_id " +
        "WHERE shard_count = $shard_count AND shard_id = $shard_id AND owner_instance_id = $instance_id AND expires_at_ms > $now;";

    // Released = expired at once; the row (and its session) stays.
    private const string ReleaseShard =
        "UPDATE discord_shard_leases SET expires_at_ms = 0 " +
        "WHERE shard_count = $shard_count AND shard_id = $shard_id AND owner_instance_id = $instance_id AND expires_at_ms > 0;";

    private const string TakeIdentifySlot =
        "INSERT INTO discord_identify_buckets (bucket, identified_at_ms) VALUES ($bucket, $now) " +
        "ON CONFLICT (bucket) DO UPDATE SET identified_at_ms = excluded.identified_at_ms " +
        "WHERE discord_identify_buckets.identified_at_ms <= $not_after RETURNING bucket;";

    /// <inheritdoc />
    public Task<IReadOnlyList<ShardLease>> GetShardLeasesAsync(int shardCount, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ShardLease>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectShardLeases, ("$shard_count", shardCount));
            using var reader = command.ExecuteReader();
            var leases = new List<ShardLease>();
            while (reader.Read())
                leases.Add(ReadShardLease(reader));
            return leases;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ShardLease?> TryAcquireShardAsync(int shardCount, int shardId, string instanceId, DateTimeOffset now, TimeSpan leaseTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ =>
        {
            using var reader = WriterCommand(AcquireShard, null, ("$shard_count", shardCount), ("$shard_id", shardId),
                ("$instance_id", instanceId), ("$now", now), ("$expires_at_ms", now + leaseTimeout)).ExecuteReader();
            return reader.Read() ? ReadShardLease(reader) : null;
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewShardAsync(int shardCount, int shardId, string instanceId, ShardSession? session, DateTimeOffset now,
        TimeSpan leaseTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ => WriterCommand(RenewShard, null, ("$shard_count", shardCount), ("$shard_id", shardId),
                ("$instance_id", instanceId), ("$now", now), ("$expires_at_ms", now + leaseTimeout),
                ("$session_id", session?.SessionId), ("$resume_gateway_url", session?.ResumeGatewayUrl), ("$sequence", session?.Sequence),
                ("$bot_user_id", session?.BotUserId), ("$application_id", session?.ApplicationId)).ExecuteNonQuery() == 1,
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseShardAsync(int shardCount, int shardId, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync(_ => WriterCommand(ReleaseShard, null, ("$shard_count", shardCount), ("$shard_id", shardId),
                ("$instance_id", instanceId)).ExecuteNonQuery() == 1,
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryTakeIdentifySlotAsync(int bucket, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default) =>
        WriteAsync(_ => WriterCommand(TakeIdentifySlot, null, ("$bucket", bucket), ("$now", now), ("$not_after", now - interval))
                .ExecuteScalar() is not null,
            inTransaction: false, cancellationToken);

    private static ShardLease ReadShardLease(SqliteDataReader reader)
    {
        var sessionId = reader.GetStringOrNull(4);
        var session = sessionId is null ? null
            : new ShardSession(sessionId, reader.GetString(5), reader.GetInt64OrNull(6), reader.GetString(7), reader.GetString(8));
        return new ShardLease(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetTime(3), session);
    }
}
