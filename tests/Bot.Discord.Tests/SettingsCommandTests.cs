using Bot.Core.Places;
using Bot.Discord.Adapter;
using Bot.Testing.OpenAI;
using static Bot.Discord.Tests.AdminCommands;

namespace Bot.Discord.Tests;

/// <summary>/settings and /model: who may use them, what they show and store, and how settings inherit.</summary>
public sealed class SettingsCommandTests
{
    private static readonly Dictionary<string, string?> s_models = new() { ["OpenAI:AllowedModels:0"] = "gpt-mini" };

    [Fact]
    public async Task SetShowClearAndHistory_ByAManager_AreEphemeral_AndRecordWhoAndWhen()
    {
        await using var bot = await DiscordHarness.StartAsync();

        var set = EphemeralText(await RunAsync(bot, Settings(bot, "set", ("name", "instructions"), ("value", "Answer like a pirate."))));
        Assert.Equal("`Instructions` is now `Answer like a pirate.` here.", set);

        var show = EphemeralText(await RunAsync(bot, Settings(bot, "show")));
        Assert.StartsWith($"Settings at {Channel()} ({Server(bot)} > {Channel()}):", show, StringComparison.Ordinal);
        Assert.Matches($@"^• Instructions: `Answer like a pirate\.` \(command: set by discord:{ManagerId} \(Lunar\) on \d{{4}}-\d\d-\d\d \d\d:\d\d UTC at {Channel()}\)$",
            Line(show, "Instructions"));
        Assert.Equal("• Model: `gpt-test` (default: OpenAI:Model)", Line(show, "Model"));

        var cleared = EphemeralText(await RunAsync(bot, Settings(bot, "clear", ("name", "Instructions"))));
        Assert.StartsWith("`Instructions` is cleared here", cleared, StringComparison.Ordinal);
        Assert.Equal("• Instructions: not set (default: OpenAI:Instructions)", Line(EphemeralText(await RunAsync(bot, Settings(bot, "show"))), "Instructions"));

        var history = EphemeralText(await RunAsync(bot, Settings(bot, "history"))).Split('\n');
        Assert.Equal($"Changes at {Channel()}, newest first:", history[0]);
        Assert.Matches($@"^• \d{{4}}-\d\d-\d\d \d\d:\d\d UTC Instructions cleared by discord:{ManagerId} \(Lunar\)$", history[1]);
        Assert.Matches($@"^• .* UTC Instructions = `Answer like a pirate\.` by discord:{ManagerId} \(Lunar\)$", history[2]);
    }

    [Theory]
    [InlineData("set")]
    [InlineData("show")]
    [InlineData("clear")]
    [InlineData("history")]
    public async Task AMemberWithoutManageServer_IsRefused_AndNothingIsStored(string verb)
    {
        await using var bot = await DiscordHarness.StartAsync();
        (string, string)[] options = verb switch
        {
            "set" => [("name", "Model"), ("value", "gpt-test")],
            "clear" => [("name", "Model")],
            _ => [],
        };
        // The client hides /settings from them (default_member_permissions), but the API can be called anyway.
        var command = Settings(bot, verb, options).From("222222222222222222", Interactions.ModeratorPermissions);

        Assert.Equal(SettingsInteractions.NotManager, EphemeralText(await RunAsync(bot, command)));
        Assert.Empty(await HistoryAsync(bot, Channel()));
    }

    [Fact]
    public async Task AModelChange_ByAMemberWithoutManageServer_IsRefused()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_models);
        var command = Model(bot, "gpt-mini").From("222222222222222222", Interactions.MemberPermissions);

        Assert.Equal(SettingsInteractions.NotManager, EphemeralText(await RunAsync(bot, command)));
        Assert.Empty(await HistoryAsync(bot, Channel()));
    }

    [Fact]
    public async Task AnAdministrator_MayChangeSettings_WithoutManageServerItself()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var command = Settings(bot, "set", ("name", "ReplyMode"), ("value", "all")).From("333333333333333333", "8");

        Assert.Equal("`ReplyMode` is now `All` here.", EphemeralText(await RunAsync(bot, command)));
        Assert.Single(await HistoryAsync(bot, Channel()));
    }

    [Theory]
    [InlineData("Temperature", "0.2", "I don't know the setting `Temperature`. Settings: Model, Instructions, Tools.CodeInterpreter,")]
    [InlineData("Tools.WebSearch", "sometimes", "`Tools.WebSearch` is on or off, not `sometimes`.")]
    [InlineData("ReplyMode", "loud", "`ReplyMode` is one of: Mentions, All; not `loud`.")]
    [InlineData("Model", "gpt-huge", "`gpt-huge` isn't an allowed model. Choose one of: gpt-test, gpt-mini.")]
    public async Task AnUnknownNameOrABadValue_GetsAnEphemeralErrorListingTheChoices_AndNothingIsStored(string name, string value, string error)
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_models);

        var answer = EphemeralText(await RunAsync(bot, Settings(bot, "set", ("name", name), ("value", value))));

        Assert.StartsWith(error, answer, StringComparison.Ordinal);
        Assert.Empty(await HistoryAsync(bot, Channel()));
    }

    [Fact]
    public async Task AModelNotInAllowedModels_ThroughSlashModel_IsRefusedWithTheChoices()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_models);

        var answer = EphemeralText(await RunAsync(bot, Model(bot, "gpt-5-pro")));

        Assert.Equal("`gpt-5-pro` isn't an allowed model. Choose one of: gpt-test, gpt-mini.", answer);
        Assert.Empty(await HistoryAsync(bot, Channel()));
    }

    [Fact]
    public async Task Settings_InADirectMessage_AreRefusedWithASentence()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var command = Interactions.Command(bot, "settings", "1400000000000000001", channelType: 1, inGuild: false);
        command["data"]!["options"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = 1, ["name"] = "show" });

        Assert.Equal(SettingsInteractions.NotInDirectMessages, EphemeralText(await RunAsync(bot, command)));
    }

    [Fact]
    public async Task ASettingAtServerScope_IsInheritedByChannelAndThread_AChannelOverrideWins_AndClearingItBringsTheServersBack()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_models);

        var server = EphemeralText(await RunAsync(bot, Settings(bot, "set", ("name", "Instructions"), ("value", "Server rules."), ("scope", "server"))));
        Assert.Equal("`Instructions` is now `Server rules.` here. (for the whole server)", server);
        await RunAsync(bot, Model(bot, "gpt-mini").WithOption("scope", "server"));

        var channel = EphemeralText(await RunAsync(bot, Settings(bot, "show")));
        var thread = EphemeralText(await RunAsync(bot, Settings(bot, "show").InThread()));
        Assert.StartsWith($"Settings at {Channel(ThreadId)} ({Server(bot)} > {Channel()} > {Channel(ThreadId)}):", thread, StringComparison.Ordinal);
        foreach (var show in new[] { channel, thread })
        {
            Assert.Matches($@"^• Instructions: `Server rules\.` \(command: set by .* at {Server(bot)}\)$", Line(show, "Instructions"));
            Assert.Matches($@"^• Model: `gpt-mini` \(command: set by .* at {Server(bot)}\)$", Line(show, "Model"));
        }

        Assert.Equal("`Instructions` is now `Channel rules.` here.",
            EphemeralText(await RunAsync(bot, Settings(bot, "set", ("name", "Instructions"), ("value", "Channel rules.")))));
        var overridden = EphemeralText(await RunAsync(bot, Settings(bot, "show").InThread()));
        Assert.Matches($@"^• Instructions: `Channel rules\.` \(command: set by .* at {Channel()}\)$", Line(overridden, "Instructions"));
        Assert.Matches($@"at {Server(bot)}\)$", Line(overridden, "Model"));

        await RunAsync(bot, Settings(bot, "clear", ("name", "Instructions")));
        var back = EphemeralText(await RunAsync(bot, Settings(bot, "show")));
        Assert.Matches($@"^• Instructions: `Server rules\.` \(command: set by .* at {Server(bot)}\)$", Line(back, "Instructions"));
        Assert.Single(await HistoryAsync(bot, Server(bot), PlaceKind.Server), c => c.Name == "Instructions");
    }

    [Fact]
    public async Task SlashModel_ThenAMention_TheNextTurnAsksOpenAIForThatModel()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_models);

        var answer = EphemeralText(await RunAsync(bot, Model(bot, "GPT-MINI")));
        Assert.Equal("`Model` is now `gpt-mini` here.", answer);
        var change = Assert.Single(await HistoryAsync(bot, Channel()));
        Assert.Equal(("Model", "gpt-mini", $"discord:{ManagerId} (Lunar)"), (change.Name, change.Value, change.ChangedBy));

        var mention = bot.Mention("which model are you?");
        await bot.SendAsync(mention);
        await bot.AnsweredAsync(mention);
        Assert.Single(bot.OpenAI.ResponseRequests);
        Assert.Equal("gpt-mini", bot.OpenAI.ResponseRequests[0].Model);
    }

    [Fact]
    public async Task ModelAutocomplete_OffersTheAllowedModelsMatchingWhatWasTyped()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["OpenAI:AllowedModels:0"] = "gpt-mini", ["OpenAI:AllowedModels:1"] = "o4-mini", ["OpenAI:AllowedModels:2"] = "gpt-large",
        });

        var all = await RunAsync(bot, Model(bot, "").Autocomplete("name", ""));
        var mini = await RunAsync(bot, Model(bot, "").Autocomplete("name", "MINI"));

        Assert.Equal(8, all.CallbackType);
        Assert.Equal(["gpt-test", "gpt-mini", "o4-mini", "gpt-large"], all.Choices);
        Assert.Equal(["gpt-mini", "o4-mini"], mini.Choices);
    }

    [Fact]
    public async Task SettingNameAutocomplete_OffersTheCatalog_ThoseStartingWithTheTextFirst_AndNothingToOthers()
    {
        await using var bot = await DiscordHarness.StartAsync();

        var tools = await RunAsync(bot, Settings(bot, "set", ("name", ""), ("value", "")).Autocomplete("name", "search"));
        var all = await RunAsync(bot, Settings(bot, "clear", ("name", "")).Autocomplete("name", ""));
        var member = await RunAsync(bot, Settings(bot, "set", ("name", ""), ("value", "")).Autocomplete("name", "")
            .From("222222222222222222", Interactions.MemberPermissions));

        Assert.Equal(["Tools.FileSearch", "Tools.WebSearch"], tools.Choices);
        Assert.Equal(bot.Services.GetRequiredServiceOf<PlaceSettings>().Definitions.Select(d => d.Name).Take(25), all.Choices);
        Assert.Contains("ReplyMode", all.Choices);
        Assert.Equal(8, member.CallbackType);
        Assert.Empty(member.Choices);
    }
}
