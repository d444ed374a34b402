using System.Text.Json;
using Bot.Core.Backends;
using Bot.Core.DependencyInjection;
using Bot.OpenAI.Assistants;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>
/// What the Assistants backend does of issue 12: long threads are truncated by the service rather than failing, and the
/// web search it cannot offer is named once at start as ignored.
/// </summary>
public sealed class AssistantsLimitsTests
{
    private const int WebSearchIgnoredEvent = 2018;
    private const int ImageGenerationIgnoredEvent = 2040;

    [Fact]
    public async Task Runs_AskForAutomaticTruncation()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);

        await bot.AskAsync("c1", "one");
        await bot.AskAsync("c1", "two");

        Assert.Equal(2, bot.Server.RunRequests.Count);
        Assert.All(bot.Server.RunRequests, r =>
        {
            var strategy = JsonDocument.Parse(r.Json).RootElement.GetProperty("truncation_strategy");
            Assert.Equal("""{"type":"auto"}""", strategy.GetRawText());
        });
    }

    [Theory]
    [InlineData("Assistants", "WebSearch", "true", WebSearchIgnoredEvent, 1)]
    [InlineData("Assistants", "WebSearch", "false", WebSearchIgnoredEvent, 0)]
    [InlineData("Responses", "WebSearch", "true", WebSearchIgnoredEvent, 0)]
    [InlineData("Assistants", "ImageGeneration", "true", ImageGenerationIgnoredEvent, 1)]
    [InlineData("Assistants", "ImageGeneration", "false", ImageGenerationIgnoredEvent, 0)]
    [InlineData("Responses", "ImageGeneration", "true", ImageGenerationIgnoredEvent, 0)]
    public async Task AToolTheAssistantsApiLacks_IsLoggedAsIgnored_OnceAtStart(string api, string tool, string enabled, int eventId, int logged)
    {
        using var directory = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = "sk-test",
            ["OpenAI:Api"] = api,
            [$"OpenAI:Tools:{tool}"] = enabled,
            ["Storage:Sqlite:Path"] = directory.File("bot.db"),
        }).Build();
        var log = new ListLogger<AssistantsBackend>();
        await using var services = new ServiceCollection().AddLogging(b => b.AddProvider(new ListLoggerProvider<AssistantsBackend>(log, "Bot.OpenAI")))
            .AddSqliteStorage(configuration).AddOpenAIBackend(configuration).AddBotCore(configuration).BuildServiceProvider();

        services.GetRequiredService<BackendCatalog>();
        services.GetRequiredService<BackendCatalog>();

        Assert.Equal(logged, log.Count(eventId));
    }
}
