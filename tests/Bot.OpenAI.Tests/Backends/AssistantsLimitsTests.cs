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
    [InlineData("Assistants", "true", 1)]
    [InlineData("Assistants", "false", 0)]
    [InlineData("Responses", "true", 0)]
    public async Task WebSearchOnTheAssistantsApi_IsLoggedAsIgnored_OnceAtStart(string api, string webSearch, int logged)
    {
        using var directory = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = "sk-test",
            ["OpenAI:Api"] = api,
            ["OpenAI:Tools:WebSearch"] = webSearch,
            ["Storage:Sqlite:Path"] = directory.File("bot.db"),
        }).Build();
        var log = new ListLogger<AssistantsBackend>();
        await using var services = new ServiceCollection().AddLogging(b => b.AddProvider(new ListLoggerProvider<AssistantsBackend>(log, "Bot.OpenAI")))
            .AddSqliteStorage(configuration).AddOpenAIBackend(configuration).AddBotCore(configuration).BuildServiceProvider();

        services.GetRequiredService<BackendCatalog>();
        services.GetRequiredService<BackendCatalog>();

        Assert.Equal(logged, log.Count(WebSearchIgnoredEvent));
    }
}
