using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Health;

/// <summary>The name of a registered <see cref="IReadinessCheck"/>, known without building the check (and its component).</summary>
public sealed record ReadinessCheckName(string Name);

/// <summary>Registers readiness checks so that the host can list them before any of them is built.</summary>
public static class ReadinessServiceCollectionExtensions
{
    /// <summary>Adds <paramref name="factory"/>'s check under <paramref name="name"/> (which must equal the check's <see cref="IReadinessCheck.Name"/>).</summary>
    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name, Func<IServiceProvider, IReadinessCheck> factory)
    {
        services.AddSingleton(factory);
        services.AddSingleton(new ReadinessCheckName(name));
        return services;
    }
}
