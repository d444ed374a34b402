using System.Text.Json.Nodes;
using Bot.Core.Places;
using Bot.Core.Usage;
using Bot.Discord.Adapter;
using Bot.Testing.OpenAI;
using static Bot.Discord.Tests.AdminCommands;

namespace Bot.Discord.Tests;

/// <summary>/usage: an ephemeral embed with the user's own usage, and for a manager the place's totals and top users.</summary>
public sealed class UsageCommandTests
{
    private static readonly Dictionary<string, string?> s_budget = new() { ["Budgets:PerUserDailyTokens"] = "1000" };

    [Fact]
    public async Task Usage_ForAMember_ShowsTheirTokensTodayAndThisMonth_WhatIsLeft_AndWhenItResets_AndNoPlaceTotals()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_budget);
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Sure.").Usage(15, 6));
        var mention = bot.Mention("hello");
        await bot.SendAsync(mention);
        await bot.AnsweredAsync(mention);
        await UsageRecordedAsync(bot, "1033044521375764530", 21);

        var answer = await RunAsync(bot, Slash(bot, "usage").From("1033044521375764530", Interactions.MemberPermissions));

        Assert.Equal(4, answer.CallbackType);
        Assert.True(answer.Ephemeral);
        Assert.Equal("[]", answer.CallbackData?["allowed_mentions"]?["parse"]?.ToJsonString());
        var embed = Assert.Single(answer.Embeds);
        Assert.Equal("Your usage", embed["title"]!.GetValue<string>());
        var fields = Fields(embed);
        Assert.Equal(["Today", "This month"], fields.Keys);
        Assert.Matches(@"^21 tokens in 1 turn; 979 of 1,000 left; resets 00:00 UTC \(in [0-9 hmind]+\)$", fields["Today"]);
        Assert.Equal("21 tokens in 1 turn; no limit", fields["This month"]);
    }

    [Fact]
    public async Task Usage_ForAManager_AddsTheServersTotals()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: new Dictionary<string, string?> { ["Budgets:PerPlaceMonthlyTokens"] = "50000" });

        var answer = await RunAsync(bot, Slash(bot, "usage"));

        var fields = Fields(Assert.Single(answer.Embeds));
        Assert.Equal(["Today", "This month", $"Server {Server(bot)}: today", $"Server {Server(bot)}: this month"], fields.Keys.Take(4));
        Assert.StartsWith("0 tokens in 0 turns; ", fields[$"Server {Server(bot)}: this month"], StringComparison.Ordinal);
        Assert.Contains("50,000 left", fields[$"Server {Server(bot)}: this month"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_CountsAgainstTheLimitSetForTheChannel_NotTheGlobalOne()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: s_budget);
        await RunAsync(bot, Settings(bot, "set", ("name", "Budgets.PerUserDailyTokens"), ("value", "5k")));

        var here = Fields(Assert.Single((await RunAsync(bot, Slash(bot, "usage"))).Embeds));
        var elsewhere = Fields(Assert.Single((await RunAsync(bot, Slash(bot, "usage", channelId: "1457510428359004999"))).Embeds));

        Assert.StartsWith("0 tokens in 0 turns; 5,000 of 5,000 left; resets ", here["Today"], StringComparison.Ordinal);
        Assert.StartsWith("0 tokens in 0 turns; 1,000 of 1,000 left; resets ", elsewhere["Today"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_InADirectMessage_ShowsTheUsersOwnUsage()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var command = Interactions.Command(bot, "usage", "1400000000000000001", channelType: 1, inGuild: false);

        var answer = await RunAsync(bot, command);

        Assert.True(answer.Ephemeral);
        Assert.Equal(["Today", "This month"], Fields(Assert.Single(answer.Embeds)).Keys);
    }

    [Fact]
    public void TheTopUsers_AreListedAsPlainText_MentionsAndMarkdownInNamesEscaped()
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        var period = new UsagePeriod(300, 3, 0, now.AddHours(12));
        var place = new PlaceUsageReport(new Bot.Core.Places.Place("discord:1", PlaceKind.Server), period, period,
        [
            new UserUsageRow("discord", "11", "@everyone <@22> **bold**", 200, 2, 0.0123m),
            new UserUsageRow("discord", "22", null, 100, 1),
        ]);

        var embed = UsageEmbed.Build(new UserUsageReport("discord", "11", period, period), place, now);

        Assert.Equal("1. \\@everyone \\<\\@22\\> \\*\\*bold\\*\\*: 200 tokens in 2 turns, ≈ $0.0123\n2. 22: 100 tokens in 1 turn",
            Fields(embed)["Top users this month"]);
    }

    // Usage is recorded just after the final reply; wait for the ledger to have the turn.
    private static async Task UsageRecordedAsync(DiscordHarness bot, string userId, long tokens)
    {
        var reports = bot.Services.GetRequiredServiceOf<UsageReports>();
        var path = PlacePath.Of(new Bot.Core.Places.Place("discord:x", PlaceKind.Channel));
        var deadline = DateTime.UtcNow + DiscordHarness.Timeout;
        while ((await reports.ForUserAsync("discord", userId, path)).Today.Tokens < tokens)
        {
            Assert.True(DateTime.UtcNow < deadline, "the turn's usage was never recorded");
            await Task.Delay(10);
        }
    }

    private static Dictionary<string, string> Fields(JsonObject embed) =>
        embed["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
}
