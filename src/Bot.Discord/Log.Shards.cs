using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>Log messages of the shard leases (<c>Discord:ShardIds=auto</c>) and the shared REST budget (event ids 3300–3399).</summary>
internal static partial class Log
{
    [LoggerMessage(3300, LogLevel.Information, "Discord shards leased from the store: {ShardCount} shards, max_concurrency {MaxConcurrency}, instance {InstanceId}")]
    public static partial void ShardsLeased(ILogger logger, int shardCount, int maxConcurrency, string instanceId);

    [LoggerMessage(3301, LogLevel.Information, "Discord shard {ShardId}/{ShardCount} taken (resuming a saved session: {Resuming})")]
    public static partial void ShardTaken(ILogger logger, int shardId, int shardCount, bool resuming);

    [LoggerMessage(3302, LogLevel.Information, "Discord shard {ShardId}/{ShardCount} handed back ({Reason})")]
    public static partial void ShardReleased(ILogger logger, int shardId, int shardCount, string reason);

    [LoggerMessage(3303, LogLevel.Warning, "Discord shard {ShardId}/{ShardCount} lost its lease ({Reason}); its connection is closed so that one instance runs it")]
    public static partial void ShardLost(ILogger logger, int shardId, int shardCount, string reason);

    [LoggerMessage(3304, LogLevel.Warning, "The shard leases could not be read or renewed; trying again")]
    public static partial void ShardLeasesFailed(ILogger logger, Exception exception);

    [LoggerMessage(3305, LogLevel.Debug, "Discord identify bucket {Bucket} is busy; shard {ShardId} waits")]
    public static partial void IdentifyWaiting(ILogger logger, int bucket, int shardId);

    [LoggerMessage(3306, LogLevel.Information, "Discord REST global budget: {Limit} requests/s ({LiveInstances} live instances)")]
    public static partial void RestBudget(ILogger logger, int limit, int liveInstances);

    [LoggerMessage(3307, LogLevel.Warning, "The live instances could not be read; the Discord REST budget keeps its share")]
    public static partial void RestBudgetFailed(ILogger logger, Exception exception);
}
