using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.DependencyInjection;
using Bot.Core.Places;
using Bot.Core.Tests.Conversations;
using Bot.Core.Usage;
using Bot.Testing;
using Bot.Testing.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Usage;

/// <summary>Prices from <c>OpenAI:Prices</c>, and the usage reports of <c>/usage</c> with their estimated costs.</summary>
public sealed class UsageCostTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    private static readonly Place Server = new("discord:g1", PlaceKind.Server);
    private static readonly PlacePath Path = PlacePath.Of(Server, new Place("discord:c1", PlaceKind.Channel));

    private readonly ManualClock _clock = new(Now);
    private readonly MemoryLedger _ledger = new();

    [Fact]
    public void BadPrices_StopTheStart_NamingEveryKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Prices(new()
        {
            ["OpenAI:Prices:gpt-5:InputPerMillion"] = "-1",
            ["OpenAI:Prices:gpt-5:OutputPerMillion"] = "ten",
            ["OpenAI:Prices:gpt-5:CachedInputPerMillion"] = "0,5",
            ["OpenAI:Prices:gpt-4.1:InputPerMillion"] = "2",
            ["OpenAI:Prices:gpt-4.1:OutputPerMilion"] = "8",
        }));

        string[] keys =
        [
            "OpenAI:Prices:gpt-5:InputPerMillion: '-1' is not a price",
            "OpenAI:Prices:gpt-5:OutputPerMillion: 'ten' is not a price",
            "OpenAI:Prices:gpt-5:CachedInputPerMillion: '0,5' is not a price",
            "OpenAI:Prices:gpt-4.1:OutputPerMilion: unknown price",
            "OpenAI:Prices:gpt-4.1:OutputPerMillion: required",
        ];
        Assert.Equal(keys.Length, error.Failures.Count());
        Assert.All(keys, key => Assert.Contains(error.Failures, f => f.StartsWith(key, StringComparison.Ordinal)));
    }

    [Fact]
    public void TheCachedInputPrice_DefaultsToTheInputPrice()
    {
        var prices = Prices(new()
        {
            ["OpenAI:Prices:gpt-5:InputPerMillion"] = "1.25",
            ["OpenAI:Prices:gpt-5:OutputPerMillion"] = "10",
        });

        Assert.Equal(new ModelPrice(1.25m, 10m, 1.25m), prices.Models["GPT-5"]);
    }

    [Fact]
    public async Task TheUsersReport_EstimatesCost_InputLessCachedAtTheInputPrice_CachedAtItsOwn_OutputAtTheOutputPrice()
    {
        var reports = Reports(new BudgetOptions { PerUserDailyTokens = 2_000_000 });
        var gate = new BudgetGate(new BudgetOptions(), _ledger, _clock);
        await gate.RecordAsync(new ConversationKey("discord", "c1"), new MessageAuthor("ada", "Ada"), Path, "gpt-a", new TokenUsage(1_000_000, 100_000, 400_000));
        _clock.Advance(TimeSpan.FromDays(-1));
        await gate.RecordAsync(new ConversationKey("discord", "c1"), new MessageAuthor("ada", "Ada"), Path, "gpt-b", new TokenUsage(500_000, 0));
        _clock.Advance(TimeSpan.FromDays(1));

        var report = await reports.ForUserAsync("discord", "ada", Path);

        // (600,000 × $2 + 400,000 × $0.50 + 100,000 × $8) / 1,000,000 = $2.20; yesterday's gpt-b: 500,000 × $1 = $0.50.
        Assert.Equal(2.2m, report.Today.EstimatedCost);
        Assert.Equal(2.7m, report.Month.EstimatedCost);
        Assert.Equal("1,100,000 tokens in 1 turn, ≈ $2.20; 900,000 of 2,000,000 left; resets 00:00 UTC (in 6 h)",
            SettingsText.Period(report.Today, _clock.GetUtcNow()));
    }

    [Fact]
    public async Task AModelWithoutAPrice_LeavesTheCostUnknown_RatherThanTooLow()
    {
        var reports = Reports(new BudgetOptions());
        await new BudgetGate(new BudgetOptions(), _ledger, _clock).RecordAsync(new ConversationKey("discord", "c1"), new MessageAuthor("ada", "Ada"), Path,
            "gpt-unpriced", new TokenUsage(10, 10));

        var report = await reports.ForUserAsync("discord", "ada", Path);

        Assert.Null(report.Today.EstimatedCost);
        Assert.DoesNotContain("$", SettingsText.Period(report.Today, Now), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePlacesReport_HasItsRealTotals_AndItsTopUsersWithTheirCosts()
    {
        var reports = Reports(new BudgetOptions { PerPlaceMonthlyTokens = 10_000_000 });
        var gate = new BudgetGate(new BudgetOptions(), _ledger, _clock);
        await gate.RecordAsync(new ConversationKey("discord", "c1"), new MessageAuthor("ada", "Ada"), Path, "gpt-a", new TokenUsage(1_000_000, 0));
        await gate.RecordAsync(new ConversationKey("discord", "c1"), new MessageAuthor("grace", "Grace"), Path, "gpt-a", new TokenUsage(0, 1_500_000));
        await gate.RecordAsync(new ConversationKey("discord", "c9"), new MessageAuthor("linus", "Linus"),
            PlacePath.Of(new Place("discord:dm", PlaceKind.DirectChat)), "gpt-a", new TokenUsage(5_000_000, 0));

        var report = await reports.ForPlaceAsync(Path);

        Assert.Equal(Server, report.Place);
        Assert.Equal((2_500_000L, 2L, 14.0m), (report.Month.Tokens, report.Month.Turns, report.Month.EstimatedCost));
        Assert.Equal(7_500_000, report.Month.Remaining);
        Assert.Equal([("Grace", 12.0m), ("Ada", 2.0m)], report.TopUsers.Select(u => (u.DisplayName, u.EstimatedCost)));
        var text = SettingsText.Usage(await reports.ForUserAsync("discord", "ada", Path), report, _clock.GetUtcNow());
        Assert.Contains("1. Grace: 1,500,000 tokens in 1 turn, ≈ $12.00", text, StringComparison.Ordinal);
    }

    private UsageReports Reports(BudgetOptions budgets)
    {
        var prices = new PriceOptions();
        prices.Models["gpt-a"] = new ModelPrice(2m, 8m, 0.5m);
        prices.Models["gpt-b"] = new ModelPrice(1m, 4m, 1m);
        var settings = new PlaceSettings(null, new ConfigurationBuilder().Build(), new ScriptedBackend(), budgets, _clock);
        return new UsageReports(_ledger, settings, _clock, prices);
    }

    private static PriceOptions Prices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddBotCore(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<PriceOptions>>().Value;
    }
}
