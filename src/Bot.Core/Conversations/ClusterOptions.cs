using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Conversations;

/// <summary>How instances that share one store share its conversations (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>
    /// How long a silent instance keeps its conversations: a lease not renewed for this long is taken over by another
    /// instance. Instances renew every third of it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// This instance's name in the store's instances and leases; empty means the machine name (a container's host
    /// name). Two processes on one machine and one store need distinct ids: a process that finds its id in use by another
    /// running process (its heartbeat still going) refuses to start and names this key. A restarted instance with the
    /// same id takes its old leases back at once.
    /// </summary>
    [MaxLength(200)]
    public string? InstanceId { get; set; }

    /// <summary>How often an instance looks for conversations with waiting messages and no live lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The instance id in effect.</summary>
    public string EffectiveInstanceId => string.IsNullOrWhiteSpace(InstanceId) ? Environment.MachineName : InstanceId.Trim();
}
