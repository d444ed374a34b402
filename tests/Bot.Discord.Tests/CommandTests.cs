using System.Text.Json.Nodes;
using Bot.Core.Conversations;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>/reset, /stop, the Stop button and the allow-lists.</summary>
public sealed class CommandTests
{
    private const string StoppedText = "⏹️ Stopped.";

    [Fact]
    public async Task Reset_InAGuildChannel_IsDeferredEphemerallyThenConfirmed_AndTheNextMessageStartsANewConversation()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var first = bot.Mention("remember 42");
        await bot.SendAsync(first);
        await bot.AnsweredAsync(first);

        var reset = Interactions.Command(bot, "reset", DiscordHarness.GuildChannel);
        await bot.Discord.SendInteractionAsync(reset);
        var interaction = await Interactions.AnsweredAsync(bot, reset);
        Assert.Equal(5, interaction.CallbackType);
        Assert.True(interaction.Ephemeral);
        Assert.StartsWith("Done", interaction.Content, StringComparison.Ordinal);

        var next = bot.Mention("what number?");
        await bot.SendAsync(next);
        await bot.AnsweredAsync(next);
        var requests = bot.OpenAI.ResponseRequests;
        Assert.NotEqual(requests[0].ConversationId, requests[1].ConversationId);
        Assert.Equal(2, bot.OpenAI.Ledger.CreatedConversations.Count);
    }

    [Fact]
    public async Task Reset_InADirectMessage_ResetsThatConversationOnly()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var dm = bot.Direct("hello in private");
        var guild = bot.Mention("hello in public");
        await bot.SendAsync(dm);
        await bot.SendAsync(guild);
        await bot.AnsweredAsync(dm);
        await bot.AnsweredAsync(guild);

        var reset = Interactions.Command(bot, "reset", dm["channel_id"]!.GetValue<string>(), channelType: 1, inGuild: false);
        await bot.Discord.SendInteractionAsync(reset);
        Assert.StartsWith("Done", (await Interactions.AnsweredAsync(bot, reset)).Content, StringComparison.Ordinal);

        var key = new ConversationKey("discord", $"dm:{dm["channel_id"]}");
        Assert.Null(await bot.Store.FindConversationAsync(key));
        Assert.NotNull(await bot.Store.FindConversationAsync(new ConversationKey("discord", $"channel:{DiscordHarness.GuildChannel}")));
    }

    [Fact]
    public async Task Reset_InAThread_ResetsTheThreadsConversation()
    {
        await using var bot = await DiscordHarness.StartAsync();
        const string Thread = "1457536551830421524";
        var message = bot.Mention("in a thread", Thread);
        message["channel_type"] = 11;
        await bot.SendAsync(message);
        await bot.AnsweredAsync(message);

        var reset = Interactions.Command(bot, "reset", Thread, channelType: 11);
        await bot.Discord.SendInteractionAsync(reset);
        Assert.StartsWith("Done", (await Interactions.AnsweredAsync(bot, reset)).Content, StringComparison.Ordinal);
        Assert.Null(await bot.Store.FindConversationAsync(new ConversationKey("discord", $"thread:{Thread}")));
    }

    [Fact]
    public async Task StopButton_FromTheRecordedClick_StopsTheAnswerAndTakesTheButtonOff()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(string.Join(' ', Enumerable.Repeat("slow", 400))));
        var message = bot.Mention("tell me a long story");
        await bot.SendAsync(message);
        await bot.WaitUntilAsync(() => bot.RepliesTo(message) is [{ HasStopButton: true }], "the streaming message with its Stop button");
        var streaming = bot.RepliesTo(message)[0];

        var click = Interactions.StopClick(bot, streaming);
        await bot.Discord.SendInteractionAsync(click);

        // The click takes the button off at once; the stopped answer's last edit follows.
        await bot.WaitUntilAsync(() => streaming.Content.EndsWith(StoppedText, StringComparison.Ordinal), "the stopped answer");
        var reply = Assert.Single(bot.RepliesTo(message));
        Assert.False(reply.HasStopButton);
        var interaction = bot.Discord.Interaction(click["id"]!.GetValue<string>())!;
        Assert.Equal(7, interaction.CallbackType);
        Assert.Equal("[]", interaction.CallbackData?["components"]?.ToJsonString());
        Assert.Equal(4, interaction.CallbackData?["flags"]?.GetValue<int>()); // the update keeps SUPPRESS_EMBEDS
        Assert.EndsWith(StoppedText, reply.Content, StringComparison.Ordinal);
        Assert.True(reply.Content.Length < 400 * 5, "the answer was cut short");
    }

    [Fact]
    public async Task StopCommand_StopsTheRunningAnswer_WithAnEphemeralNote()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(string.Join(' ', Enumerable.Repeat("slow", 400))));
        var message = bot.Mention("tell me a long story");
        await bot.SendAsync(message);
        await bot.WaitUntilAsync(() => bot.RepliesTo(message).Count == 1, "the streaming message");

        var stop = Interactions.Command(bot, "stop", DiscordHarness.GuildChannel);
        await bot.Discord.SendInteractionAsync(stop);
        var reply = Assert.Single(await bot.AnsweredAsync(message));
        var interaction = await Interactions.AnsweredAsync(bot, stop);
        Assert.Equal((4, true, "Stopped."), (interaction.CallbackType, interaction.Ephemeral, interaction.Content));
        Assert.EndsWith(StoppedText, reply.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowLists_KeepTheBotOutOfOtherChannels_ButDirectMessagesStillWork()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.AllowedChannelIds.Add("1111111111111111111"));
        var outside = bot.Mention("anyone?");
        await bot.SendAsync(outside);
        var reset = Interactions.Command(bot, "reset", DiscordHarness.GuildChannel);
        await bot.Discord.SendInteractionAsync(reset);
        Assert.Equal("I don't answer in this channel.", (await Interactions.AnsweredAsync(bot, reset)).Content);

        var dm = bot.Direct("and here?");
        await bot.SendAsync(dm);
        await bot.AnsweredAsync(dm);
        Assert.Empty(bot.RepliesTo(outside));
        Assert.Single(bot.OpenAI.ResponseRequests);
    }
}
