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
    public static IServiceCollection AddStorePorts<TStore>(this IServiceCollection services)
        where TStore : class, IConversationStore, IFollowedPlaces, IVisitorSessions, IBotSecrets, IProvisionedAssistants,
            IModerationLog, IUsageLedger, IPlaceSettingsStore, IConversationLeases, IShardLeases, IWebTranscripts
    {
        ArgumentNullException.ThrowIfNull(services);
        Port<TStore, IConversationStore>(services);
        Port<TStore, IStoreLifecycle>(services);
        Port<TStore, IConversationMappings>(services);
        Port<TStore, IInbox>(services);
        Port<TStore, ITurnLog>(services);
        Port<TStore, IRemoteObjectRegistry>(services);
        Port<TStore, IFollowedPlaces>(services);
        Port<TStore, IVisitorSessions>(services);
        Port<TStore, IBotSecrets>(services);
        Port<TStore, IProvisionedAssistants>(services);
        Port<TStore, IModerationLog>(services);
        Port<TStore, IUsageLedger>(services);
        Port<TStore, IPlaceSettingsStore>(services);
        Port<TStore, IConversationLeases>(services);
        Port<TStore, IShardLeases>(services);
        Port<TStore, IWebTranscripts>(services);
        // A store with notifications registers its own before or after; the default is none (poll only).
        services.TryAddSingleton<IStoreNotifications>(NoStoreNotifications.Instance);
        return services;
    }

    // One instance behind every port: one schema and one connection pool, whichever port a consumer took.
    private static void Port<TStore, TPort>(IServiceCollection services)
        where TStore : class, TPort
        where TPort : class =>
        services.AddSingleton<TPort>(provider => provider.GetRequiredService<TStore>());
}
