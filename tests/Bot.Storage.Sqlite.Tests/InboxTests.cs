using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class InboxTests : StoreTestBase
{
    [Fact]
    public async Task TryAcceptAsync_returns_an_id_for_a_new_message_and_null_for_its_duplicate()
    {
        var store = await Db.OpenStoreAsync();

        var first = await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0);
        var duplicate = await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0.AddSeconds(5));
        var other = await store.TryAcceptAsync(Message("discord", "c1", "m2"), T0);

        Assert.NotNull(first);
        Assert.Null(duplicate);
        Assert.NotNull(other);
        Assert.NotEqual(first, other);
        Assert.Equal(2, Db.Scalar<long>("SELECT count(*) FROM inbox;"));
    }

    [Fact]
    public async Task TryAcceptAsync_refuses_a_duplicate_after_the_file_is_reopened()
    {
        var beforeRestart = await Db.OpenStoreAsync();
        Assert.NotNull(await beforeRestart.TryAcceptAsync(Message("teams", "c1", "m1"), T0));
        await beforeRestart.DisposeAsync();

        var afterRestart = await Db.OpenStoreAsync();

        Assert.Null(await afterRestart.TryAcceptAsync(Message("teams", "c1", "m1"), T0));
        Assert.NotNull(await afterRestart.TryAcceptAsync(Message("teams", "c1", "m2"), T0));
    }

    [Fact]
    public async Task TryAcceptAsync_accepts_the_same_message_id_on_another_channel()
    {
        var store = await Db.OpenStoreAsync();

        var onDiscord = await store.TryAcceptAsync(Message("discord", "c1", "42"), T0);
        var onTeams = await store.TryAcceptAsync(Message("teams", "c1", "42"), T0);

        Assert.NotNull(onDiscord);
        Assert.NotNull(onTeams);
    }

    [Fact]
    public async Task GetUnfinishedInboxAsync_returns_accepted_and_processing_messages_of_one_channel_oldest_first()
    {
        var store = await Db.OpenStoreAsync();
        IncomingAttachment[] attachments =
        [
            new("data.csv", "text/csv", 1234, "https://cdn.example/data.csv"),
            new("notes", null, null, "/tmp/notes"),
        ];
        var withFiles = Message("discord", "c1", "m1", attachments, isShared: true);
        var m1 = (await store.TryAcceptAsync(withFiles, T0))!.Value;
        var m2 = (await store.TryAcceptAsync(Message("discord", "c2", "m2"), T0))!.Value;
        var m3 = (await store.TryAcceptAsync(Message("discord", "c1", "m3"), T0))!.Value;
        var m4 = (await store.TryAcceptAsync(Message("discord", "c1", "m4"), T0))!.Value;
        await store.TryAcceptAsync(Message("teams", "c1", "t1"), T0);
        var conversation = await store.GetOrCreateConversationAsync(new("discord", "c2"), "Responses", T0);
        var turnId = await store.StartTurnAsync(conversation.Id, [m2], T0);
        await store.SetInboxStatusAsync([m3], InboxStatus.Answered, T0);
        await store.SetInboxStatusAsync([m4], InboxStatus.Cancelled, T0);

        var unfinished = await store.GetUnfinishedInboxAsync("discord");

        Assert.Equal([m1, m2], unfinished.Select(r => r.Id));
        Assert.Equal([InboxStatus.Accepted, InboxStatus.Processing], unfinished.Select(r => r.Status));
        Assert.Equal([null, turnId], unfinished.Select(r => r.TurnId));
        var restored = unfinished[0].Message;
        Assert.Equal(withFiles.Conversation, restored.Conversation);
        Assert.Equal(withFiles.MessageId, restored.MessageId);
        Assert.Equal(withFiles.Author, restored.Author);
        Assert.Equal(withFiles.Text, restored.Text);
        Assert.Equal(attachments, restored.Attachments);
        Assert.Equal(withFiles.ReceivedAt, restored.ReceivedAt);
        Assert.Equal(withFiles.ReplyAddress, restored.ReplyAddress);
        Assert.True(restored.IsShared);
        Assert.Empty(unfinished[1].Message.Attachments);
        Assert.False(unfinished[1].Message.IsShared);
        Assert.Equal(["t1"], (await store.GetUnfinishedInboxAsync("teams")).Select(r => r.Message.MessageId));
        Assert.Empty(await store.GetUnfinishedInboxAsync("web"));
    }

    [Fact]
    public async Task SetInboxStatusAsync_changes_only_the_given_messages()
    {
        var store = await Db.OpenStoreAsync();
        var m1 = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;
        var m2 = (await store.TryAcceptAsync(Message("discord", "c1", "m2"), T0))!.Value;
        var m3 = (await store.TryAcceptAsync(Message("discord", "c1", "m3"), T0))!.Value;

        await store.SetInboxStatusAsync([m1, m3], InboxStatus.Cancelled, T0.AddMinutes(1));

        Assert.Equal("Cancelled", Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", m1)));
        Assert.Equal("Accepted", Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", m2)));
        Assert.Equal("Cancelled", Db.Scalar<string>("SELECT status FROM inbox WHERE id = $id;", ("$id", m3)));
        Assert.Equal(T0.AddMinutes(1).ToUnixTimeMilliseconds(),
            Db.Scalar<long>("SELECT updated_at_ms FROM inbox WHERE id = $id;", ("$id", m3)));
    }

    [Fact]
    public async Task GetInboxStatusesAsync_tells_how_each_known_message_stands_and_leaves_unknown_ids_out()
    {
        var store = await Db.OpenStoreAsync();
        var m1 = (await store.TryAcceptAsync(Message("discord", "c1", "m1"), T0))!.Value;
        var m2 = (await store.TryAcceptAsync(Message("discord", "c1", "m2"), T0))!.Value;
        var m3 = (await store.TryAcceptAsync(Message("discord", "c2", "m3"), T0))!.Value;
        await store.SetInboxStatusAsync([m1], InboxStatus.Cancelled, T0);
        await store.SetInboxStatusAsync([m3], InboxStatus.Answered, T0);

        var statuses = await store.GetInboxStatusesAsync([m1, m2, m3, m3 + 1000]);

        Assert.Equal(3, statuses.Count);
        Assert.Equal(InboxStatus.Cancelled, statuses[m1]);
        Assert.Equal(InboxStatus.Accepted, statuses[m2]);
        Assert.Equal(InboxStatus.Answered, statuses[m3]);
        Assert.Empty(await store.GetInboxStatusesAsync([]));
    }

    [Fact]
    public async Task A_waiting_message_comes_back_with_its_place_path_so_it_keeps_its_place_settings_and_budgets()
    {
        var store = await Db.OpenStoreAsync();
        var path = PlacePath.Of(new Place("teams:tenant-1", PlaceKind.Tenant), new Place("teams:team-1", PlaceKind.Team),
            new Place("teams:19:general@thread.tacv2", PlaceKind.Channel));
        await store.TryAcceptAsync(Message("teams", "c1", "m1") with { Places = path }, T0);
        await store.TryAcceptAsync(Message("teams", "c1", "m2"), T0);

        var waiting = await store.GetUnfinishedInboxAsync("teams");

        Assert.Equal(["teams:tenant-1", "teams:team-1", "teams:19:general@thread.tacv2"], waiting[0].Message.Path.Ids);
        Assert.Equal([PlaceKind.Tenant, PlaceKind.Team, PlaceKind.Channel], waiting[0].Message.Path.Levels.Select(l => l.Kind));
        Assert.Null(waiting[1].Message.Places);
        Assert.Equal(["teams:c1"], waiting[1].Message.Path.Ids);
    }
}
