using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class TurnTests : StoreTestBase
{
    [Fact]
    public async Task StartTurnAsync_creates_a_running_turn_moves_its_messages_to_processing_and_updates_last_active()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var m1 = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;
        var m2 = (await store.TryAcceptAsync(Message("discord", "c1", "m2"), T0))!.Value;
        var waiting = (await store.TryAcceptAsync(Message("discord", "c1", "m3"), T0))!.Value;

        var turnId = await store.StartTurnAsync(conversation.Id, [m1, m2], T0.AddSeconds(30));

        var turn = await store.GetTurnAsync(turnId);
        Assert.NotNull(turn);
        Assert.Equal(conversation.Id, turn.ConversationId);
        Assert.Equal(TurnStatus.Running, turn.Status);
        Assert.Equal(T0.AddSeconds(30), turn.StartedAt);
        Assert.Null(turn.FinishedAt);
        var inbox = await store.GetUnfinishedInboxAsync("discord");
        Assert.Equal(
            [(m1, InboxStatus.Processing, (long?)turnId), (m2, InboxStatus.Processing, turnId), (waiting, InboxStatus.Accepted, null)],
            inbox.Select(r => (r.Id, r.Status, r.TurnId)));
        Assert.Equal(T0.AddSeconds(30), (await store.FindConversationAsync(conversation.Key))?.LastActiveAt);
    }

    [Fact]
    public async Task StartTurnAsync_for_an_unknown_conversation_throws_and_changes_nothing()
    {
        var store = await Db.OpenStoreAsync();
        var m1 = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.StartTurnAsync(999, [m1], T0));

        Assert.Equal(0, Db.Scalar<long>("SELECT count(*) FROM turns;"));
        Assert.Equal("Accepted", Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", m1)));
    }

    [Theory]
    [InlineData(TurnStatus.Completed, InboxStatus.Answered)]
    [InlineData(TurnStatus.Incomplete, InboxStatus.Answered)]
    [InlineData(TurnStatus.Failed, InboxStatus.Failed)]
    [InlineData(TurnStatus.Interrupted, InboxStatus.Failed)]
    [InlineData(TurnStatus.Cancelled, InboxStatus.Cancelled)]
    public async Task FinishTurnAsync_maps_the_outcome_to_the_inbox_messages_of_that_turn(TurnStatus outcome, InboxStatus expected)
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var m1 = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;
        var m2 = (await store.TryAcceptAsync(Message("discord", "c1", "m2"), T0))!.Value;
        var notInTurn = (await store.TryAcceptAsync(Message("discord", "c1", "m3"), T0))!.Value;
        var turnId = await store.StartTurnAsync(conversation.Id, [m1, m2], T0);

        await store.FinishTurnAsync(turnId, new TurnOutcome(outcome, [], default, null, T0.AddSeconds(9)));

        Assert.Equal(expected.ToString(), Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", m1)));
        Assert.Equal(expected.ToString(), Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", m2)));
        Assert.Equal("Accepted", Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", notInTurn)));
        Assert.Equal([notInTurn], (await store.GetUnfinishedInboxAsync("discord")).Select(r => r.Id));
        Assert.Equal(outcome, (await store.GetTurnAsync(turnId))?.Status);
    }

    [Fact]
    public async Task FinishTurnAsync_stores_the_whole_outcome()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("teams", "c1"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [], T0);

        await store.FinishTurnAsync(turnId, new TurnOutcome(
            TurnStatus.Failed, ["resp_1", "resp_2"], new TokenUsage(1200, 345), T0.AddMilliseconds(850), T0.AddSeconds(4),
            "server_error: try again"));

        var turn = await store.GetTurnAsync(turnId);
        Assert.NotNull(turn);
        Assert.Equal(TurnStatus.Failed, turn.Status);
        Assert.Equal(T0, turn.StartedAt);
        Assert.Equal(T0.AddMilliseconds(850), turn.FirstTokenAt);
        Assert.Equal(T0.AddSeconds(4), turn.FinishedAt);
        Assert.Equal(["resp_1", "resp_2"], turn.ResponseIds);
        Assert.Equal(new TokenUsage(1200, 345), turn.Usage);
        Assert.Equal("server_error: try again", turn.Error);
    }

    [Fact]
    public async Task FinishTurnAsync_refuses_Running_as_an_outcome()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("teams", "c1"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [], T0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            store.FinishTurnAsync(turnId, new TurnOutcome(TurnStatus.Running, [], default, null, T0)));
        Assert.Equal(TurnStatus.Running, (await store.GetTurnAsync(turnId))?.Status);
    }

    [Fact]
    public async Task FinishTurnAsync_for_an_unknown_turn_throws()
    {
        var store = await Db.OpenStoreAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.FinishTurnAsync(77, new TurnOutcome(TurnStatus.Completed, [], default, null, T0)));
    }

    [Fact]
    public async Task GetTurnAsync_returns_null_for_an_unknown_turn()
    {
        var store = await Db.OpenStoreAsync();

        Assert.Null(await store.GetTurnAsync(12345));
    }
}
