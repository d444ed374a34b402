using Bot.Core.DependencyInjection;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Postgres.DependencyInjection;

/// <summary>Registers the PostgreSQL store behind every store port.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PostgresConversationStore"/> as one singleton, configured from <c>Storage:Postgres</c> and
    /// validated at start (the connection string is required), and resolves every store port to it. Someone must still
    /// call <see cref="IStoreLifecycle.InitializeAsync"/>.
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<PostgresStoreOptions>()
            .Bind(configuration.GetSection(PostgresStoreOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresConversationStore>();
        services.TryAddSingleton<PostgresNotifications>();
        services.TryAddSingleton<IStoreNotifications>(provider => provider.GetRequiredService<PostgresNotifications>());
        return services.AddStorePorts<PostgresConversationStore>();
    }
}
