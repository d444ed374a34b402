using Bot.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Core.Conversations;

/// <summary>
/// One instance id, one process: two processes under one id (two bots on one machine that both default to its name)
/// would renew, release and run each other's conversations. The instances row keeps the token of the process that
/// registered the id; a start that finds another process's token with a heartbeat that is still going refuses, naming
/// <c>Cluster:InstanceId</c>. A crashed predecessor (its heartbeat recent, but stopped) does not block a restart: the
/// start waits one heartbeat interval to tell the two apart, and a restarted instance takes its old leases back.
/// </summary>
internal sealed partial class ConversationCluster
{
    /// <summary>This process's token in its instances row.</summary>
    public string ProcessToken { get; } = Guid.NewGuid().ToString("N");

    private async Task EnsureIdIsFreeAsync(CancellationToken cancellationToken)
    {
        var other = await OtherProcessAsync(cancellationToken).ConfigureAwait(false);
        if (other is null || time.GetUtcNow() - other.HeartbeatAt >= options.LeaseTimeout)
            return;

        // A live process beats every third of the lease timeout (checked every poll interval); one that crashed does not.
        var beatEvery = options.LeaseTimeout / 3;
        var wait = beatEvery + (options.PollInterval < beatEvery ? options.PollInterval : beatEvery) + TimeSpan.FromMilliseconds(500);
        Log.InstanceIdCheck(logger, InstanceId, wait);
        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        var again = await OtherProcessAsync(cancellationToken).ConfigureAwait(false);
        if (again is null || again.ProcessToken != other.ProcessToken || again.HeartbeatAt <= other.HeartbeatAt)
            return;

        throw new OptionsValidationException(ClusterOptions.SectionName, typeof(ClusterOptions),
        [
            $"Cluster:InstanceId: another process is running as instance '{InstanceId}' on this store (its heartbeat is still going). " +
            "Give each process its own Cluster:InstanceId (the default is the machine name).",
        ]);
    }

    private async Task<InstanceRecord?> OtherProcessAsync(CancellationToken cancellationToken) =>
        (await leases.GetInstancesAsync(cancellationToken).ConfigureAwait(false))
        .FirstOrDefault(i => i.InstanceId == InstanceId && i.ProcessToken is not null && i.ProcessToken != ProcessToken);
}
