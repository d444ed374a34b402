using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>Log messages of store outages and instance identity (event ids 3440–3459).</summary>
internal static partial class Log
{
    [LoggerMessage(3440, LogLevel.Error,
        "Instance {InstanceId} had no heartbeat for {Silent}: its {Count} conversation leases may have expired; once the store answers, the answers of conversations another instance took stop here")]
    public static partial void LeasesLapsed(ILogger logger, string instanceId, TimeSpan silent, int count);

    [LoggerMessage(3443, LogLevel.Warning,
        "Instance {InstanceId} stops {Count} running answers without a word: it may no longer hold their conversations; the instance that holds them tells the users")]
    public static partial void LeasedTurnsStopped(ILogger logger, string instanceId, int count);

    [LoggerMessage(3441, LogLevel.Information, "The heartbeat of instance {InstanceId} succeeds again")]
    public static partial void HeartbeatBack(ILogger logger, string instanceId);

    [LoggerMessage(3442, LogLevel.Warning,
        "Instance id {InstanceId} was registered by another process whose heartbeat is recent; waiting {Wait} to see whether it is still running")]
    public static partial void InstanceIdCheck(ILogger logger, string instanceId, TimeSpan wait);
}
