using Bot.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Host;

/// <summary>Healthy when the store answers a read. Asked afresh at every probe, so it recovers without a restart.</summary>
internal sealed class StoreHealthCheck(IStoreLifecycle store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", ex);
        }
    }
}
