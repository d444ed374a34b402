using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>The inbox keeps what people wrote only while it is needed.</summary>
public sealed class PrivacyTests : StoreTestBase
{
    [Fact]
    public async Task FinishTurnAsync_forgets_what_the_turns_messages_said_and_keeps_their_ids_statuses_and_times()
    {
        var store = await Db.OpenStoreAsync();
        var message = Message("discord", "c1", "m1", [new("secret.csv", "text/csv", 10, "https://cdn.example/secret.csv?sig=abc")]);
        var id = (await store.TryAcceptAsync(message, T0))!.Value;
        var conversation = await store.GetOrCreateConversationAsync(message.Conversation, "Responses", T0);
        var turn = await store.StartTurnAsync(conversation.Id, [id], T0);
        Assert.Equal(message.Text, Db.Scalar<string>("SELECT text FROM inbox;"));

        await store.FinishTurnAsync(turn, new TurnOutcome(TurnStatus.Completed, [], default, null, T0.AddSeconds(3)));

        AssertForgotten(id);
        Assert.Equal(("m1", "user-m1", message.ReplyAddress, "Answered", turn),
            (Db.Scalar<string>("SELECT message_id FROM inbox;"), Db.Scalar<string>("SELECT author_id FROM inbox;"),
             Db.Scalar<string>("SELECT reply_address FROM inbox;"), Db.Scalar<string>("SELECT status FROM inbox;"),
             Db.Scalar<long>("SELECT turn_id FROM inbox;")));
        Assert.Equal(T0.AddSeconds(1).ToUnixTimeMilliseconds(), Db.Scalar<long>("SELECT received_at_ms FROM inbox;"));
        Assert.Equal(T0.AddSeconds(3).ToUnixTimeMilliseconds(), Db.Scalar<long>("SELECT updated_at_ms FROM inbox;"));
        Assert.Null(await store.TryAcceptAsync(message, T0.AddMinutes(1))); // still a duplicate
    }

    [Theory]
    [InlineData(TurnStatus.Incomplete)]
    [InlineData(TurnStatus.Failed)]
    [InlineData(TurnStatus.Cancelled)]
    [InlineData(TurnStatus.Interrupted)]
    public async Task Every_way_a_turn_ends_forgets_its_messages(TurnStatus status)
    {
        var store = await Db.OpenStoreAsync();
        var id = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var turn = await store.StartTurnAsync(conversation.Id, [id], T0);

        await store.FinishTurnAsync(turn, new TurnOutcome(status, [], default, null, T0));

        AssertForgotten(id);
    }

    [Theory]
    [InlineData(InboxStatus.Answered)]
    [InlineData(InboxStatus.Failed)]
    [InlineData(InboxStatus.Cancelled)]
    public async Task SetInboxStatusAsync_to_an_end_forgets_the_messages_text(InboxStatus status)
    {
        var store = await Db.OpenStoreAsync();
        var dropped = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;
        var waiting = (await store.TryAcceptAsync(Message("discord", "c1", "m2"), T0))!.Value;

        await store.SetInboxStatusAsync([dropped], status, T0);

        AssertForgotten(dropped);
        Assert.Equal("hello from m2", Assert.Single(await store.GetUnfinishedInboxAsync("discord")).Message.Text);
        Assert.Equal(waiting, Assert.Single(await store.GetUnfinishedInboxAsync("discord")).Id);
    }

    [Fact]
    public async Task SetInboxStatusAsync_back_to_accepted_keeps_the_text()
    {
        var store = await Db.OpenStoreAsync();
        var id = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;

        await store.SetInboxStatusAsync([id], InboxStatus.Accepted, T0);

        Assert.Equal("hello from m1", Db.Scalar<string>("SELECT text FROM inbox;"));
    }

    private void AssertForgotten(long id)
    {
        Assert.Equal("", Db.Scalar<string>("SELECT text FROM inbox WHERE id = $id;", ("$id", id)));
        Assert.Equal("", Db.Scalar<string>("SELECT author_name FROM inbox WHERE id = $id;", ("$id", id)));
        Assert.Equal("[]", Db.Scalar<string>("SELECT attachments FROM inbox WHERE id = $id;", ("$id", id)));
    }
}
