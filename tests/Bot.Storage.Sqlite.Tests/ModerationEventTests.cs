using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class ModerationEventTests : StoreTestBase
{
    [Fact]
    public async Task Events_are_counted_per_channel_and_user_and_read_back_newest_first_with_their_categories()
    {
        var store = await Db.OpenStoreAsync();
        await store.RecordModerationEventAsync(new ModerationEventRecord("discord", "u1", "channel:1", ["harassment"], T0));
        await store.RecordModerationEventAsync(new ModerationEventRecord("discord", "u1", "dm:2", ["violence", "violence/graphic"], T0.AddMinutes(5)));
        await store.RecordModerationEventAsync(new ModerationEventRecord("discord", "u2", "channel:1", ["hate"], T0));
        await store.RecordModerationEventAsync(new ModerationEventRecord("teams", "u1", "19:abc", ["sexual"], T0));
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal(2, await reopened.CountModerationEventsAsync("discord", "u1"));
        Assert.Equal(1, await reopened.CountModerationEventsAsync("discord", "u2"));
        Assert.Equal(1, await reopened.CountModerationEventsAsync("teams", "u1"));
        Assert.Equal(0, await reopened.CountModerationEventsAsync("discord", "u3"));
        var events = await reopened.GetModerationEventsAsync("discord", "u1");
        Assert.Equal(["dm:2", "channel:1"], events.Select(e => e.ConversationId));
        Assert.Equal(["violence", "violence/graphic"], events[0].Categories);
        Assert.Equal(T0.AddMinutes(5), events[0].At);
    }

    [Fact]
    public async Task The_table_keeps_no_column_for_the_message_text()
    {
        await using var store = await Db.OpenStoreAsync();
        Assert.Equal(["id", "channel", "user_id", "conversation_id", "categories", "at_ms"], Db.ColumnNames("moderation_events"));
    }
}
