using Bot.Core.Storage;
using Bot.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using Microsoft.Extensions.DependencyInjection;

namespace Bot.Storage.Sqlite.DependencyInjection;

/// <summary>Registers the SQLite conversation store.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SqliteConversationStore"/> as the singleton <see cref="IConversationStore"/>, configured from
    /// <c>Storage:Sqlite</c> and validated at start. Someone must still call <see cref="IConversationStore.InitializeAsync"/>.
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
        services.AddSingleton<IConversationStore>(provider => provider.GetRequiredService<SqliteConversationStore>());
        return services;
    }
}
