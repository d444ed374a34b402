using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Discord.Adapter;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>
/// A reply finished after a restart: a new writer adopts the message an earlier process posted (live, with its Stop
/// button), edits it through REST, and takes the button off when the reply completes; nothing new is posted.
/// </summary>
public sealed class AdoptedReplyTests
{
    private const string Alice = "1033044521375764530";

    [Fact]
    public async Task A_writer_that_adopts_a_live_message_edits_it_and_takes_its_Stop_button_off_without_posting()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var address = new ReplyAddress(DiscordHarness.GuildChannel, bot.NextMessageId(), DiscordHarness.GuildChannel, Alice).ToString();
        var channel = bot.Services.GetRequiredService<DiscordChannel>();
        var live = ReplySnapshot.Empty with { Parts = [new ReplyTextPart("Half of the", [])] };
        var posted = await channel.CreateReplyWriter(address).PostAsync(new ReplyMessage("Half of the", 0, live));
        Assert.True(Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel)).HasStopButton);

        // After the restart: another writer, for the same address, takes the message over.
        var writer = channel.CreateReplyWriter(address);
        writer.Adopt([posted.MessageId!]);
        var final = live with { Parts = [new ReplyTextPart("Half of the answer.", [])], Ending = ReplyEnding.Completed, IsFinal = true };
        await writer.EditAsync(posted.MessageId!, new ReplyMessage("Half of the answer.", 0, final));
        await writer.CompleteAsync(final);

        var message = Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel));
        Assert.Equal(posted.MessageId, message.Id);
        Assert.Equal("Half of the answer.", message.Content);
        Assert.False(message.HasStopButton);
    }
}
