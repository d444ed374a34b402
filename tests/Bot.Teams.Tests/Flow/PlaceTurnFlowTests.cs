using System.Text.Json.Nodes;
using Bot.Core.Places;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Teams.Tests.Flow;

/// <summary>End to end in Teams: a model an admin sets is the model OpenAI is asked for, and a place's budget refuses.</summary>
public sealed class PlaceTurnFlowTests
{
    [Fact]
    public async Task AnAdminsModelCommand_IsTheModelOpenAIIsAskedFor_FromTheNextQuestionOn()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Teams:AdminUserIds:0"] = SettingsCommandTests.AdminObjectId,
            ["OpenAI:AllowedModels:0"] = "gpt-other",
        });
        var chat = $"a:model-{Guid.NewGuid():N}";
        await bot.AskAsync(bot.Fixture("personal_message.json", chat, "before"));

        var set = await bot.ReplyOfAsync(bot.Fixture("personal_message.json", chat, "model gpt-other"));
        await bot.AskAsync(bot.Fixture("personal_message.json", chat, "after"));

        Assert.Equal("`Model` is now `gpt-other` here.", set.Text);
        Assert.Equal([("before", "gpt-test"), ("after", "gpt-other")], bot.OpenAI.ResponseRequests.Select(r => (r.UserText, r.Model)));
    }

    [Fact]
    public async Task AStoredModelThatIsNoLongerAllowed_NeverReachesOpenAI_TheConfiguredModelAnswers()
    {
        await using var bot = await TeamsHarness.StartAsync();
        var chat = $"a:withdrawn-{Guid.NewGuid():N}";
        // Set while it was allowed; OpenAI:AllowedModels no longer names it.
        await bot.Services.GetRequiredService<IPlaceSettingsStore>().ChangePlaceSettingAsync(
            new PlaceSettingChange("teams:" + chat, "Model", "gpt-withdrawn", "teams:someone", DateTimeOffset.UtcNow));

        await bot.AskAsync(bot.Fixture("personal_message.json", chat, "hello"));

        var inForce = await bot.Services.GetRequiredService<PlaceSettings>().ResolveAsync(PlacePath.Of(new Place("teams:" + chat, PlaceKind.DirectChat)));
        Assert.Equal("gpt-withdrawn", inForce.Model);
        Assert.Equal(["gpt-test"], bot.OpenAI.ResponseRequests.Select(r => r.Model));
    }

    [Fact]
    public async Task APlacesDailyBudget_ReachedByOneUser_RefusesTheNextUserInTheTeam_NamingTheTeamsLimit_WithoutAResponse()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Budgets:PerPlaceDailyTokens"] = "30" });
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("First.").Usage(25, 6));
        await bot.SendAsync(ChannelMessage(bot, "one"));
        await TeamUsageRecordedAsync(bot);

        var refusal = await bot.ReplyOfAsync(SettingsCommandTests.Stranger(ChannelMessage(bot, "two")));

        Assert.Matches(@"^This team's daily budget of 30 tokens is used up; it resets at 00:00 UTC \(in [0-9 hmins]+\)\.$", refusal.Text);
        Assert.Single(bot.OpenAI.ResponseRequests);
    }

    private static JsonObject ChannelMessage(TeamsHarness bot, string text) =>
        bot.Fixture("channel_message_at_mention.json", text: "<at>ridotest</at> " + text);

    private static async Task TeamUsageRecordedAsync(TeamsHarness bot)
    {
        var ledger = bot.Services.GetRequiredService<IUsageLedger>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await ledger.GetPlaceUsageAsync(SettingsCommandTests.Team, DateOnly.FromDateTime(DateTime.UtcNow))).DayTurns == 0)
            await Task.Delay(20, timeout.Token);
    }
}
