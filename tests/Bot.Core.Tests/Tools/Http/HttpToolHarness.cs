using Bot.Core.DependencyInjection;
using Bot.Core.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Tools.Http;

/// <summary>The core's services from configuration (as the host builds them), for the function tools they register.</summary>
internal sealed class HttpToolHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private HttpToolHarness(ServiceProvider provider) => _provider = provider;

    public FunctionToolRegistry Registry => _provider.GetRequiredService<FunctionToolRegistry>();

    public static HttpToolHarness Build(Dictionary<string, string?> settings, params IFunctionTool[] codeTools)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        foreach (var tool in codeTools)
            services.AddSingleton(tool);
        services.AddBotCore(configuration);
        return new HttpToolHarness(services.BuildServiceProvider());
    }

    /// <summary>What the host does first at start: validate every option registered with ValidateOnStart.</summary>
    public void ValidateStart() => _provider.GetRequiredService<IStartupValidator>().Validate();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
