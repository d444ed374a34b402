using Bot.Core.Backends;
using Bot.OpenAI.DependencyInjection;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Backends;

/// <summary><c>OpenAI:AllowedModels</c>: bound from configuration, checked at start, the configured model always first.</summary>
public sealed class AllowedModelsOptionsTests
{
    [Fact]
    public void AllowedModels_FromConfiguration_ListTheConfiguredModelFirst_WithoutRepeats()
    {
        using var services = Services(("OpenAI:Model", "gpt-a"), ("OpenAI:AllowedModels:0", "gpt-b"), ("OpenAI:AllowedModels:1", "gpt-a"),
            ("OpenAI:AllowedModels:2", "gpt-c"));

        IAssistantBackend backend = services.GetRequiredService<BackendCatalog>().Current;

        Assert.Equal(["gpt-a", "gpt-b", "gpt-c"], backend.AllowedModels);
    }

    [Fact]
    public void NoAllowedModels_OnlyTheConfiguredModelIsAllowed()
    {
        using var services = Services(("OpenAI:Model", "gpt-a"));

        Assert.Equal(["gpt-a"], services.GetRequiredService<BackendCatalog>().Current.AllowedModels);
    }

    [Fact]
    public void AnEmptyOrSpacedAllowedModel_StopsTheStart_NamedByItsKey()
    {
        using var services = Services(("OpenAI:AllowedModels:0", "gpt-b"), ("OpenAI:AllowedModels:1", " "), ("OpenAI:AllowedModels:2", "gpt 4"));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OpenAIOptions>>().Value);

        Assert.Contains(failure.Failures, f => f.StartsWith("OpenAI:AllowedModels:1: empty", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("OpenAI:AllowedModels:2: 'gpt 4'", StringComparison.Ordinal));
        Assert.DoesNotContain(failure.Failures, f => f.StartsWith("OpenAI:AllowedModels:0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ApiKinds.Responses)]
    [InlineData(ApiKinds.Assistants)]
    public async Task AModelNotAllowed_IsLoggedAsAWarning_NamingTheModelThatAnswersInstead(string api)
    {
        var log = new ListLogger<AllowedModelsOptionsTests>();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider<AllowedModelsOptionsTests>(log, "Bot.OpenAI")));
        await using var bot = await BackendHarness.StartAsync(api, loggers: loggers);
        bot.Settings = new TurnSettings(Model: "gpt-unvetted");

        await bot.AskAsync("c1", "hi");

        var warning = Assert.Single(log.Entries, e => e.EventId.Id == 2100);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("gpt-test answers instead", warning.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(KeyValuePair.Create("OpenAI:ApiKey", (string?)FakeOpenAIServer.ApiKey)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(new Bot.Core.Tools.FunctionToolRegistry([], Options.Create(new Bot.Core.Conversations.ConversationOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Bot.Core.Tools.FunctionToolRegistry>.Instance));
        services.AddOpenAIBackend(configuration);
        return services.BuildServiceProvider();
    }
}
