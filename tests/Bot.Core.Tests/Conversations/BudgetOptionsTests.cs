using Bot.Core.Conversations;
using Bot.Core.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Conversations;

public sealed class BudgetOptionsTests
{
    [Fact]
    public void TheBudgetsSection_BindsLimitsAndExemptIds_FromEnvironmentStyleKeys()
    {
        var options = Resolve(new()
        {
            ["Budgets:PerUserDailyTokens"] = "30",
            ["Budgets:PerUserMonthlyTokens"] = "900",
            ["Budgets:PerUserMessagesPerMinute"] = "5",
            ["Budgets:ExemptUserIds:0"] = "discord:42",
            ["Budgets:ExemptUserIds:1"] = "7",
        });

        Assert.Equal((30L, 900L, 5), (options.PerUserDailyTokens, options.PerUserMonthlyTokens, options.PerUserMessagesPerMinute));
        Assert.Equal(["discord:42", "7"], options.ExemptUserIds);
    }

    [Fact]
    public void NegativeLimits_StopTheStartNamingEachKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Budgets:PerUserDailyTokens"] = "-1",
            ["Budgets:PerUserMessagesPerMinute"] = "-5",
        }));

        Assert.Contains(error.Failures, f => f.StartsWith("Budgets:PerUserDailyTokens:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Budgets:PerUserMessagesPerMinute:", StringComparison.Ordinal));
    }

    private static BudgetOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddBotCore(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<BudgetOptions>>().Value;
    }
}
