using Bot.Core.Storage;
using Bot.Storage.Sqlite.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Sqlite.Tests.DependencyInjection;

public sealed class SqliteStorageServiceCollectionExtensionsTests : StoreTestBase
{
    [Fact]
    public async Task AddSqliteStorage_binds_the_path_and_registers_one_singleton_store()
    {
        await using var provider = Build(new() { ["Storage:Sqlite:Path"] = Db.DatabasePath });

        var store = provider.GetRequiredService<IConversationStore>();
        await store.InitializeAsync();

        var sqlite = Assert.IsType<SqliteConversationStore>(store);
        Assert.Equal(Db.DatabasePath, sqlite.DatabasePath);
        Assert.Same(store, provider.GetRequiredService<IConversationStore>());
        Assert.True(File.Exists(Db.DatabasePath));
    }

    [Fact]
    public async Task AddSqliteStorage_resolves_every_store_port_to_the_one_store()
    {
        await using var provider = Build(new() { ["Storage:Sqlite:Path"] = Db.DatabasePath });
        var store = provider.GetRequiredService<SqliteConversationStore>();
        var ports = typeof(IConversationStore).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.Namespace == typeof(IConversationStore).Namespace && t.IsAssignableFrom(typeof(SqliteConversationStore)))
            .ToList();

        Assert.Equal(16, ports.Count);
        Assert.All(ports, port => Assert.Same(store, provider.GetRequiredService(port)));
        Assert.False(provider.GetRequiredService<IStoreNotifications>().IsSupported); // SQLite: poll only
    }

    [Fact]
    public async Task AddSqliteStorage_defaults_the_path_to_data_bot_db()
    {
        await using var provider = Build([]);

        Assert.Equal("data/bot.db", provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":memory:")]
    public async Task AddSqliteStorage_fails_start_validation_for_a_path_that_is_not_a_file(string path)
    {
        await using var provider = Build(new() { ["Storage:Sqlite:Path"] = path });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Storage:Sqlite:Path", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSqliteStorage(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
