using Bot.Testing.OpenAI;
using static Bot.Discord.Tests.AdminCommands;

namespace Bot.Discord.Tests;

/// <summary>Budgets on Discord: a user over budget is told in a normal reply (ephemeral needs an interaction) and OpenAI is not asked.</summary>
public sealed class BudgetTests
{
    [Fact]
    public async Task AUserOverTheDailyBudget_GetsTheRefusalAsAReply_AndNothingReachesOpenAI()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: new Dictionary<string, string?> { ["Budgets:PerUserDailyTokens"] = "20" });
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Here you go.").Usage(15, 6));
        var first = bot.Mention("first question");
        await bot.SendAsync(first);
        Assert.Equal("Here you go.", Assert.Single(await bot.AnsweredAsync(first)).Content);

        var second = bot.Mention("second question");
        await bot.SendAsync(second);
        var refusal = Assert.Single(await bot.AnsweredAsync(second));

        Assert.Matches(@"^You've used your daily budget of 20 tokens; it resets at 00:00 UTC \(in [0-9 hmins]+\)\.$", refusal.Content);
        Assert.Equal(second["id"]!.GetValue<string>(), refusal.ReplyTo);
        Assert.False(refusal.HasStopButton);
        Assert.Single(bot.OpenAI.ResponseRequests);

        // Another member of the same channel still gets answers.
        var other = bot.Mention("my turn", authorId: "222222222222222222");
        await bot.SendAsync(other);
        Assert.DoesNotContain("budget", Assert.Single(await bot.AnsweredAsync(other)).Content, StringComparison.Ordinal);
        Assert.Equal(2, bot.OpenAI.ResponseRequests.Count);
    }

    [Fact]
    public async Task AServerBudgetSetBySlashCommand_CountsEveryMember_AndRefusesTheNextTurnNamingTheServer()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var set = EphemeralText(await RunAsync(bot, Settings(bot, "set", ("name", "Budgets.PerPlaceDailyTokens"), ("value", "30"), ("scope", "server"))));
        Assert.Contains("30", set, StringComparison.Ordinal);

        // Two members share the server's budget: 21 + 21 tokens go over 30 after the second answer.
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("One.").Usage(15, 6));
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Two.").Usage(15, 6));
        var first = bot.Mention("first");
        await bot.SendAsync(first);
        Assert.Equal("One.", Assert.Single(await bot.AnsweredAsync(first)).Content);
        var second = bot.Mention("second", authorId: "222222222222222222");
        await bot.SendAsync(second);
        Assert.Equal("Two.", Assert.Single(await bot.AnsweredAsync(second)).Content);

        var third = bot.Mention("third", authorId: "333333333333333333");
        await bot.SendAsync(third);
        var refusal = Assert.Single(await bot.AnsweredAsync(third));
        Assert.Matches(@"^This server's daily budget of 30 tokens is used up; it resets at 00:00 UTC \(in [0-9 hmins]+\)\.$", refusal.Content);
        Assert.Equal(2, bot.OpenAI.ResponseRequests.Count);
    }
}
