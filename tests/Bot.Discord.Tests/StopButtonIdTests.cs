using Bot.Discord.Adapter;

namespace Bot.Discord.Tests;

/// <summary>What a reply carries about its asker: the stored reply address and the Stop button's custom_id.</summary>
public sealed class StopButtonIdTests
{
    private const string Snowflake = "18446744073709551615"; // the longest a snowflake gets: 20 digits

    [Fact]
    public void StopButton_NamesTheConversationAndTheAsker_WithinDiscordsHundredCharacters()
    {
        var conversation = $"channel:{Snowflake}:user:{Snowflake}";
        var customId = DiscordReplyWriter.StopButton(conversation, Snowflake)[0]!["components"]![0]!["custom_id"]!.GetValue<string>();

        Assert.InRange(customId.Length, 1, 100);
        Assert.Equal((conversation, Snowflake), DiscordReplyWriter.ParseStopId(customId));
    }

    [Fact]
    public void StopButtonFromBeforeTheAskerWasAdded_NamesNoAsker()
    {
        Assert.Equal(("dm:1400000000000000001", (string?)null), DiscordReplyWriter.ParseStopId("stop|dm:1400000000000000001"));
        Assert.Equal(("dm:1400000000000000001", (string?)null), DiscordReplyWriter.ParseStopId("stop|dm:1400000000000000001|"));
    }

    [Fact]
    public void ReplyAddress_RoundTripsTheAsker_AndOneStoredBeforeTheAskerWasAdded_StillParses()
    {
        var address = new ReplyAddress("1457510428359004343", "1460000000000000001", "channel:1457510428359004343", "1033044521375764530");
        Assert.Equal(address, ReplyAddress.Parse(address.ToString()));

        var old = ReplyAddress.Parse("1457510428359004343|1460000000000000001|channel:1457510428359004343");
        Assert.Equal(("channel:1457510428359004343", (string?)null), (old.ConversationId, old.AskerId));
        Assert.Null(ReplyAddress.Parse("1457510428359004343||dm:1").ReplyTo);
    }
}
