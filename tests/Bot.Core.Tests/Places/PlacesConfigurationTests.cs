using Bot.Core.Backends;
using Bot.Core.DependencyInjection;
using Bot.Core.Places;
using Bot.Testing.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Places;

/// <summary><c>Places:Defaults:*</c> and <c>Places:{place id}:*</c> are checked at start, every key at fault named.</summary>
public sealed class PlacesConfigurationTests
{
    [Fact]
    public void UnknownSettingsAndBadValues_StopTheStart_NamingEveryKeyAtFault()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Check(new()
        {
            ["Places:Defaults:Model"] = "gpt-unknown",
            ["Places:discord:123:Tools:WebSearch"] = "maybe",
            ["Places:teams:19:abc@thread.tacv2:Budgets:PerPlaceDailyTokens"] = "lots",
            ["Places:discord:123:Colour"] = "blue",
            ["Places:Defaults:Mcp:gitlab"] = "off",
            ["Places:Model"] = "scripted-mini",
            // Valid: none of these is named.
            ["Places:Defaults:Mcp:github"] = "off",
            ["Places:discord:123:Model"] = "scripted-mini",
            ["Places:teams:19:abc@thread.tacv2:Instructions"] = "Be brief.",
            ["Places:discord:123:Budgets:PerUserDailyTokens"] = "50k",
        }));

        string[] keys =
        [
            "Places:Defaults:Model: `gpt-unknown` isn't an allowed model. Choose one of: scripted-model, scripted-mini.",
            "Places:discord:123:Tools:WebSearch: `Tools.WebSearch` is on or off",
            "Places:teams:19:abc@thread.tacv2:Budgets:PerPlaceDailyTokens: `Budgets.PerPlaceDailyTokens` is a number of tokens",
            "Places:discord:123:Colour: not a setting a place can have",
            "Places:Defaults:Mcp:gitlab: not a setting a place can have",
            "Places:Model: not a setting a place can have",
        ];
        Assert.Equal(keys.Length, error.Failures.Count());
        Assert.All(keys, key => Assert.Contains(error.Failures, f => f.StartsWith(key, StringComparison.Ordinal)));
        Assert.Contains("Mcp:github", error.Failures.First(f => f.StartsWith("Places:discord:123:Colour", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidPlacesConfiguration_Starts_AndApplies()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Places:Defaults:Tools:WebSearch"] = "on",
            ["Places:discord:123:Model"] = "scripted-mini",
        };

        Assert.Empty(Check(configuration).Errors);
    }

    private static PlacesConfiguration Check(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging()
            .AddSingleton(new BackendCatalog(new ScriptedBackend { McpServerLabels = ["github"] }))
            .AddBotCore(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<PlacesConfiguration>>().Value;
    }
}
