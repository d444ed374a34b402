using Bot.Storage.Sqlite;
using Bot.Testing.Storage;

namespace Bot.Discord.Tests;

/// <summary>
/// Discord never delivers a message again: while the store is unreachable, messages wait in memory (bounded by
/// Discord:RetryBufferSize), are stored once it is back and answered in order; interactions still get an answer.
/// </summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task MessagesWhileTheStoreIsUnreachable_AreKeptAndAnsweredInOrderOnceItIsBack()
    {
        var outage = new StoreOutage();
        await using var bot = await DiscordHarness.StartAsync(o => o.StoreRetryDelay = TimeSpan.FromMilliseconds(50),
            services: s => outage.Apply<SqliteConversationStore>(s));
        var intake = (Adapter.MessageIntake)bot.Services.GetService(typeof(Adapter.MessageIntake))!;
        var messages = new[] { bot.Direct("first"), bot.Direct("second"), bot.Direct("third") };

        outage.Down();
        foreach (var message in messages)
            await bot.SendAsync(message);
        await bot.WaitUntilAsync(() => intake.Waiting == 3, "three messages waiting for the store");
        var failedWhileDown = outage.FailedCalls;
        await bot.WaitUntilAsync(() => outage.FailedCalls > failedWhileDown, "a retry while the store is still down");
        outage.Up();
        // Messages that wait together may be answered as one turn, which replies to the last of them.
        Assert.NotEmpty(await bot.AnsweredAsync(messages[^1]));
        await bot.WaitUntilAsync(() => messages.All(m => bot.InboxStatusOf(m) == "Answered"), "every message answered");

        Assert.Equal(0, intake.Waiting);
        var asked = string.Join("\n", bot.OpenAI.ResponseRequests.Select(r => r.UserText));
        var at = new[] { "first", "second", "third" }.Select(t => asked.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.All(at, i => Assert.True(i >= 0, asked));
        Assert.True(at[0] < at[1] && at[1] < at[2], $"answered out of order: {asked}");
        Assert.Contains(bot.Log.Entries, e => e.EventId.Id == 3420);
        Assert.Contains(bot.Log.Entries, e => e.EventId.Id == 3422);
    }

    [Fact]
    public async Task FullRetryBuffer_DropsTheOldestMessageWithALogLine_AndAnswersTheRest()
    {
        var outage = new StoreOutage();
        await using var bot = await DiscordHarness.StartAsync(o => o.StoreRetryDelay = TimeSpan.FromMilliseconds(50),
            settings: new Dictionary<string, string?> { ["Discord:RetryBufferSize"] = "2" },
            services: s => outage.Apply<SqliteConversationStore>(s));
        var intake = (Adapter.MessageIntake)bot.Services.GetService(typeof(Adapter.MessageIntake))!;
        var dropped = bot.Direct("dropped");
        var kept = new[] { bot.Direct("kept one"), bot.Direct("kept two") };

        outage.Down();
        await bot.SendAsync(dropped);
        foreach (var message in kept)
            await bot.SendAsync(message);
        await bot.WaitUntilAsync(() => bot.Log.Entries.Any(e => e.EventId.Id == 3421), "the log line of the dropped message");
        outage.Up();
        Assert.NotEmpty(await bot.AnsweredAsync(kept[^1]));
        await bot.WaitUntilAsync(() => kept.All(m => bot.InboxStatusOf(m) == "Answered"), "both kept messages answered");

        Assert.Equal(0, intake.Waiting);
        Assert.Contains(dropped["id"]!.GetValue<string>(), bot.Log.Entries.Single(e => e.EventId.Id == 3421).Message, StringComparison.Ordinal);
        Assert.Empty(bot.RepliesTo(dropped));
        Assert.DoesNotContain(bot.OpenAI.ResponseRequests, r => r.UserText.Contains("dropped", StringComparison.Ordinal));
        Assert.False(await bot.WasStoredAsync(dropped));
    }

    [Fact]
    public async Task CommandWhileTheStoreIsUnreachable_IsStillAnswered_WithASentenceThatSaysSo()
    {
        var outage = new StoreOutage();
        await using var bot = await DiscordHarness.StartAsync(services: s => outage.Apply<SqliteConversationStore>(s));

        outage.Down();
        var reset = await Interactions.SendCommandAsync(bot, "reset", DiscordHarness.GuildChannel);
        var answer = await Interactions.AnsweredAsync(bot, reset);
        outage.Up();

        Assert.Equal(Adapter.InteractionHandler.StoreUnavailable, answer.Content);
        Assert.True(answer.Ephemeral);
    }

    [Fact]
    public async Task CommandWhileTheStoreHangs_IsAnsweredWithinDiscordsThreeSeconds_WithASentenceThatSaysSo()
    {
        var outage = new StoreOutage();
        await using var bot = await DiscordHarness.StartAsync(services: s => outage.Apply<SqliteConversationStore>(s));

        outage.Hang();
        // The fake refuses an answer that comes later than 3 s after the interaction, as Discord does.
        var usage = await Interactions.SendCommandAsync(bot, "usage", DiscordHarness.GuildChannel);
        var answer = await Interactions.AnsweredAsync(bot, usage);
        outage.Up();

        Assert.Equal(Adapter.InteractionHandler.StoreUnavailable, answer.Content);
        Assert.True(answer.Ephemeral);
        Assert.True(outage.FailedCalls > 0);
    }
}
