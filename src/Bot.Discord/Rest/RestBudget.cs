using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord's global REST budget (50 requests/s per bot token) shared by the instances on one store: each live instance
/// (a heartbeat within <c>Cluster:LeaseTimeout</c>) gets an equal share in its REST client's limiter, so that together
/// they stay under it. With <c>Discord:SharedRestProxy</c> the proxy behind <c>Discord:RestBaseUrl</c> keeps the budget
/// and each instance uses all of it.
/// </summary>
internal sealed class RestBudget(DiscordOptions options, DiscordRestClient rest, IConversationLeases instances, IOptions<ClusterOptions> cluster,
    TimeProvider time, ILogger<RestBudget> logger)
{
    private int _live;

    /// <summary>Counts the live instances (this one always among them), sets this instance's share and returns the count.</summary>
    public async Task<int> UpdateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var self = cluster.Value.EffectiveInstanceId;
        var others = (await instances.GetInstancesAsync(cancellationToken).ConfigureAwait(false))
            .Count(i => i.InstanceId != self && i.HeartbeatAt > now - cluster.Value.LeaseTimeout);
        var live = others + 1;
        var limit = options.SharedRestProxy ? GlobalRateLimit.BotLimit : Math.Max(1, GlobalRateLimit.BotLimit / live);
        rest.GlobalLimit = limit;
        if (Interlocked.Exchange(ref _live, live) != live)
            Log.RestBudget(logger, limit, live);
        return live;
    }

    /// <summary>Keeps the share up to date every third of the lease timeout until cancelled (store failures keep the last share).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await UpdateAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Log.RestBudgetFailed(logger, ex);
                }

                await Task.Delay(cluster.Value.LeaseTimeout / 3, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
