using System.Net;
using System.Net.Sockets;
using Bot.Core.Storage;
using Bot.Storage.Postgres.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Postgres.Tests.DependencyInjection;

public sealed class PostgresStorageServiceCollectionExtensionsTests : StoreTestBase
{
    private const string Key = "Storage:Postgres:ConnectionString";

    [Fact]
    public async Task AddPostgresStorage_resolves_every_store_port_to_the_one_store()
    {
        await using var provider = Build(new() { [Key] = Db.ConnectionString });
        var store = provider.GetRequiredService<PostgresConversationStore>();
        var ports = typeof(IConversationStore).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.Namespace == typeof(IConversationStore).Namespace && t.IsAssignableFrom(typeof(PostgresConversationStore)))
            .ToList();

        await provider.GetRequiredService<IStoreLifecycle>().InitializeAsync();

        Assert.Equal(16, ports.Count);
        Assert.All(ports, port => Assert.Same(store, provider.GetRequiredService(port)));
        Assert.IsType<PostgresNotifications>(provider.GetRequiredService<IStoreNotifications>());
        await provider.GetRequiredService<IStoreLifecycle>().PingAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_missing_connection_string_fails_start_validation_naming_the_key(string? connectionString)
    {
        await using var provider = Build(new() { [Key] = connectionString });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2;Frobnicate=yes")]
    [InlineData("Host=db;Password=hunter2;Port=not-a-number")]
    [InlineData("Password=hunter2;Database=bot")]
    public async Task An_unusable_connection_string_fails_start_validation_without_repeating_the_password(string connectionString)
    {
        await using var provider = Build(new() { [Key] = connectionString });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_stops_the_start_with_the_key_and_without_the_password()
    {
        await using var provider = Build(new() { [Key] = $"Host=127.0.0.1;Port={ClosedPort()};Username=bot;Password=hunter2;Timeout=5" });
        provider.GetRequiredService<IStartupValidator>().Validate();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetRequiredService<IStoreLifecycle>().InitializeAsync());

        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPostgresStorage(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
