using Bot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Core.DependencyInjection;

/// <summary>The one list of store ports: every store registers through it, so a new port reaches every store at once.</summary>
public static class StorePortsServiceCollectionExtensions
{
    /// <summary>
    /// Resolves every store port to the one <typeparamref name="TStore"/> singleton (which the store's own registration
    /// adds): the aggregate <see cref="IConversationStore"/>, each concern's port, and the typed records. The constraint
    /// makes a store that misses a port fail to compile.
    /// </summary>
    /// <summary>Every store port, in the order <see cref="AddStorePorts{TStore}"/> registers them (test wrappers use the same list).</summary>
    public static IReadOnlyList<Type> PortTypes { get; } =
    [
        typeof(IConversationStore), typeof(IStoreLifecycle), typeof(IConversationMappings), typeof(IInbox), typeof(ITurnLog),
        typeof(IRemoteObjectRegistry), typeof(IFollowedPlaces), typeof(IVisitorSessions), typeof(IBotSecrets), typeof(IProvisionedAssistants),
        typeof(IModerationLog), typeof(IUsageLedger), typeof(IPlaceSettingsStore), typeof(IConversationLeases), typeof(IShardLeases),
        typeof(IWebTranscripts),
    ];

    public static IServiceCollection AddStorePorts<TStore>(this IServiceCollection services)
        where TStore : class, IConversationStore, IFollowedPlaces, IVisitorSessions, IBotSecrets, IProvisionedAssistants,
            IModerationLog, IUsageLedger, IPlaceSettingsStore, IConversationLeases, IShardLeases, IWebTranscripts
    {
        ArgumentNullException.ThrowIfNull(services);
        // One instance behind every port: one schema and one connection pool, whichever port a consumer took.
        foreach (var port in PortTypes)
            services.AddSingleton(port, provider => provider.GetRequiredService<TStore>());
        // A store with notifications registers its own before or after; the default is none (poll only).
        services.TryAddSingleton<IStoreNotifications>(NoStoreNotifications.Instance);
        return services;
    }
}
