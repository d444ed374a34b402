using Bot.Core.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Host.Health;

/// <summary>
/// <c>/healthz/live</c>: the process answers. <c>/healthz/ready</c> (and <c>/healthz</c>): the store answers and every
/// registered <see cref="IReadinessCheck"/> (each enabled channel, OpenAI) is ready. Both answer JSON, 200 or 503.
/// </summary>
internal static class HealthRegistration
{
    private const string Live = "live";
    private const string Ready = "ready";

    /// <summary>How long the store may take to answer a health check before it counts as unreachable.</summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddBotHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process runs."), tags: [Live])
            .AddCheck<StoreHealthCheck>("store", tags: [Ready], timeout: StoreTimeout);
        // The readiness checks exist only for the parts that are enabled: their names are listed once the container is
        // built, and each check (with the component it asks) is built at the first probe, not before the host starts.
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(options =>
        {
            foreach (var name in sp.GetServices<ReadinessCheckName>().Select(n => n.Name).Distinct(StringComparer.Ordinal))
            {
                options.Registrations.Add(new HealthCheckRegistration(name,
                    provider => new ReadinessHealthCheck(provider.GetServices<IReadinessCheck>().First(c => c.Name == name)), HealthStatus.Unhealthy, [Ready]));
            }
        }));
        return services;
    }

    public static WebApplication MapBotHealth(this WebApplication app)
    {
        var ready = new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready), ResponseWriter = HealthJson.WriteAsync };
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(Live), ResponseWriter = HealthJson.WriteAsync });
        app.MapHealthChecks("/healthz/ready", ready);
        app.MapHealthChecks("/healthz", ready);
        return app;
    }

    private sealed class ReadinessHealthCheck(IReadinessCheck check) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var readiness = check.Check();
            return Task.FromResult(readiness.Ready ? HealthCheckResult.Healthy(readiness.Description) : HealthCheckResult.Unhealthy(readiness.Description));
        }
    }
}
