using Bot.Core.Moderation;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.DependencyInjection;

/// <summary>Registers the moderation gate (section <c>Moderation</c>) that the turns consult before they start.</summary>
public static class ModerationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the validated <see cref="ModerationOptions"/> and the <see cref="ModerationGate"/>. The check itself
    /// (<see cref="IInputModeration"/>), the event store (<see cref="IModerationLog"/>) and the alert targets
    /// (<see cref="IModerationAlerts"/>) come from the backend, the store and the channels.
    /// </summary>
    public static IServiceCollection AddInputModeration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ModerationOptions>(configuration, ModerationOptions.SectionName);
        services.TryAddSingleton(sp => new ModerationGate(
            sp.GetRequiredService<IOptions<ModerationOptions>>().Value,
            sp.GetService<IInputModeration>(),
            sp.GetService<IModerationLog>(),
            sp.GetServices<IModerationAlerts>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModerationGate>>()));
        return services;
    }
}
