using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class TurnResumePointTests : StoreTestBase
{
    [Fact]
    public async Task A_running_turn_without_a_saved_point_has_none()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [], T0);

        Assert.Null((await store.GetTurnAsync(turnId))?.ResumePoint);
    }

    [Fact]
    public async Task SaveResumePointAsync_stores_the_point_and_a_later_save_replaces_it()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [], T0);

        await store.SaveResumePointAsync(turnId, new TurnResumePoint("resp_1", 7, true, "lookup", ["m1"]));
        await store.SaveResumePointAsync(turnId, new TurnResumePoint("resp_2", 42, true, null, ["m1", "m2"]));

        var point = (await store.GetTurnAsync(turnId))?.ResumePoint;
        Assert.NotNull(point);
        Assert.Equal(("resp_2", 42L, true, (string?)null), (point.ResponseId, point.SequenceNumber, point.Resumable, point.RunningTool));
        Assert.Equal(["m1", "m2"], point.MessageIds);
        Assert.True(point.CanResume);
    }

    [Fact]
    public async Task A_point_of_plain_streaming_keeps_its_messages_but_cannot_be_resumed()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("teams", "c1"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [], T0);

        await store.SaveResumePointAsync(turnId, new TurnResumePoint("resp_1", 3, false, null, ["a1"]));

        var point = (await store.GetTurnAsync(turnId))?.ResumePoint;
        Assert.NotNull(point);
        Assert.False(point.CanResume);
        Assert.Equal(["a1"], point.MessageIds);
    }

    [Fact]
    public async Task SaveResumePointAsync_after_the_turn_finished_changes_nothing()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [], T0);
        await store.SaveResumePointAsync(turnId, new TurnResumePoint("resp_1", 5, true, null, ["m1"]));
        await store.FinishTurnAsync(turnId, new TurnOutcome(TurnStatus.Completed, ["resp_1"], new TokenUsage(1, 2), T0, T0.AddSeconds(3)));

        await store.SaveResumePointAsync(turnId, new TurnResumePoint("resp_9", 99, true, "late", ["m9"]));

        var turn = await store.GetTurnAsync(turnId);
        Assert.Equal(TurnStatus.Completed, turn?.Status);
        Assert.Equal(("resp_1", 5L), (turn?.ResumePoint?.ResponseId, turn?.ResumePoint?.SequenceNumber));
        Assert.Equal(["m1"], turn?.ResumePoint?.MessageIds);
    }
}
