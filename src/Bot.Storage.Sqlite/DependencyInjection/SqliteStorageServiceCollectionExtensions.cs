using Bot.Core.DependencyInjection;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Sqlite.DependencyInjection;

/// <summary>Registers the SQLite store behind every store port.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SqliteConversationStore"/> as one singleton, configured from <c>Storage:Sqlite</c> and validated
    /// at start, and resolves every store port to it: the aggregate <see cref="IConversationStore"/>, each concern's
    /// port, and the typed records. Someone must still call <see cref="IStoreLifecycle.InitializeAsync"/>.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SqliteStoreOptions>()
            .Bind(configuration.GetSection(SqliteStoreOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteConversationStore>();
        return services.AddStorePorts<SqliteConversationStore>();
    }
}
