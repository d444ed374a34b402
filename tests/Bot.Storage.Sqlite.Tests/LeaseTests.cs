using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>Conversation leases and instances: the same rules on every store, two instances as two stores on one database.</summary>
public sealed class LeaseTests : StoreTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly ConversationKey C1 = new("teams", "c1");

    [Fact]
    public async Task A_free_lease_is_taken_and_another_instance_cannot_take_it_while_it_lives()
    {
        var store = await Db.OpenStoreAsync();

        Assert.True(await store.TryAcquireLeaseAsync(C1, "a", T0, Timeout));
        Assert.False(await store.TryAcquireLeaseAsync(C1, "b", T0.AddSeconds(14.999), Timeout));

        var lease = await store.FindLeaseAsync(C1);
        Assert.Equal(new ConversationLease(C1, "a", T0 + Timeout), lease);
    }

    [Fact]
    public async Task The_holder_takes_its_own_lease_again_and_extends_it()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireLeaseAsync(C1, "a", T0, Timeout);

        Assert.True(await store.TryAcquireLeaseAsync(C1, "a", T0.AddSeconds(10), Timeout));

        Assert.Equal(T0.AddSeconds(10) + Timeout, (await store.FindLeaseAsync(C1))!.ExpiresAt);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_by_another_instance()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireLeaseAsync(C1, "a", T0, Timeout);

        Assert.True(await store.TryAcquireLeaseAsync(C1, "b", T0 + Timeout, Timeout));

        Assert.Equal("b", (await store.FindLeaseAsync(C1))!.OwnerInstanceId);
        // The old holder has lost it: it can neither renew nor release it.
        Assert.False(await store.RenewLeaseAsync(C1, "a", T0 + Timeout, Timeout));
        Assert.False(await store.ReleaseLeaseAsync(C1, "a"));
        Assert.Equal("b", (await store.FindLeaseAsync(C1))!.OwnerInstanceId);
    }

    [Fact]
    public async Task Renew_extends_only_the_holders_lease()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireLeaseAsync(C1, "a", T0, Timeout);

        Assert.True(await store.RenewLeaseAsync(C1, "a", T0.AddSeconds(5), Timeout));
        Assert.False(await store.RenewLeaseAsync(C1, "b", T0.AddSeconds(6), Timeout));
        Assert.False(await store.RenewLeaseAsync(new ConversationKey("teams", "other"), "a", T0, Timeout));

        Assert.Equal(new ConversationLease(C1, "a", T0.AddSeconds(5) + Timeout), await store.FindLeaseAsync(C1));
        // Renewed: still live past the first expiry.
        Assert.False(await store.TryAcquireLeaseAsync(C1, "b", T0 + Timeout, Timeout));
    }

    [Fact]
    public async Task Release_frees_only_the_holders_lease()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireLeaseAsync(C1, "a", T0, Timeout);

        Assert.False(await store.ReleaseLeaseAsync(C1, "b"));
        Assert.NotNull(await store.FindLeaseAsync(C1));
        Assert.True(await store.ReleaseLeaseAsync(C1, "a"));

        Assert.Null(await store.FindLeaseAsync(C1));
        Assert.True(await store.TryAcquireLeaseAsync(C1, "b", T0.AddSeconds(1), Timeout));
    }

    [Fact]
    public async Task Instances_register_beat_and_leave_and_leaving_releases_their_leases_at_once()
    {
        var store = await Db.OpenStoreAsync();
        await store.RegisterInstanceAsync("a", T0);
        await store.RegisterInstanceAsync("b", T0.AddSeconds(1));
        var c2 = new ConversationKey("discord", "c2");
        await store.TryAcquireLeaseAsync(C1, "a", T0, Timeout);
        await store.TryAcquireLeaseAsync(c2, "a", T0, Timeout);
        await store.TryAcquireLeaseAsync(new ConversationKey("teams", "c3"), "b", T0, Timeout);

        Assert.Equal(2, await store.HeartbeatAsync("a", T0.AddSeconds(5), Timeout));

        Assert.Equal(
            [new InstanceRecord("a", T0, T0.AddSeconds(5)), new InstanceRecord("b", T0.AddSeconds(1), T0.AddSeconds(1))],
            await store.GetInstancesAsync());
        Assert.Equal(T0.AddSeconds(5) + Timeout, (await store.FindLeaseAsync(c2))!.ExpiresAt);

        Assert.Equal(2, await store.ReleaseAllLeasesAsync("a"));

        Assert.Equal(["b"], (await store.GetInstancesAsync()).Select(i => i.InstanceId));
        Assert.Null(await store.FindLeaseAsync(C1));
        Assert.Null(await store.FindLeaseAsync(c2));
        Assert.Equal("b", (await store.FindLeaseAsync(new ConversationKey("teams", "c3")))!.OwnerInstanceId);
        // Before its lease would have expired, another instance takes the conversation.
        Assert.True(await store.TryAcquireLeaseAsync(C1, "b", T0.AddSeconds(6), Timeout));
    }

    [Fact]
    public async Task An_instance_keeps_the_token_of_the_process_that_registered_it_through_heartbeats_and_a_restart_replaces_it()
    {
        var store = await Db.OpenStoreAsync();
        await store.RegisterInstanceAsync("a", T0, "process-1");
        await store.HeartbeatAsync("a", T0.AddSeconds(2), Timeout);
        var beating = Assert.Single(await store.GetInstancesAsync());

        await store.RegisterInstanceAsync("a", T0.AddSeconds(3), "process-2");

        Assert.Equal(new InstanceRecord("a", T0, T0.AddSeconds(2), "process-1"), beating);
        Assert.Equal(new InstanceRecord("a", T0.AddSeconds(3), T0.AddSeconds(3), "process-2"), Assert.Single(await store.GetInstancesAsync()));
    }

    [Fact]
    public async Task A_restarted_instance_starts_afresh_and_does_not_take_another_instances_live_lease()
    {
        var store = await Db.OpenStoreAsync();
        await store.RegisterInstanceAsync("a", T0);
        await store.TryAcquireLeaseAsync(C1, "b", T0.AddSeconds(1), Timeout);

        await store.RegisterInstanceAsync("a", T0.AddSeconds(3));

        Assert.Equal(new InstanceRecord("a", T0.AddSeconds(3), T0.AddSeconds(3)), Assert.Single(await store.GetInstancesAsync()));
        Assert.False(await store.TryAcquireLeaseAsync(C1, "a", T0.AddSeconds(3), Timeout));
    }

    [Fact]
    public async Task Two_instances_racing_for_one_conversation_get_it_exactly_once()
    {
        var first = await Db.OpenStoreAsync();
        var second = await Db.OpenStoreAsync();
        for (var round = 0; round < 10; round++)
        {
            var key = new ConversationKey("teams", $"race{round}");
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tries = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            {
                await start.Task;
                var owner = i % 2 == 0 ? "a" : "b";
                var store = i % 2 == 0 ? first : second;
                return (Owner: owner, Won: await store.TryAcquireLeaseAsync(key, owner + i, T0, Timeout));
            })).ToArray();

            start.SetResult();
            var results = await Task.WhenAll(tries);

            var winner = Assert.Single(results, r => r.Won);
            Assert.StartsWith(winner.Owner, (await first.FindLeaseAsync(key))!.OwnerInstanceId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Conversations_with_waiting_messages_and_no_live_lease_are_listed_oldest_first()
    {
        var store = await Db.OpenStoreAsync();
        var leased = new ConversationKey("teams", "leased");
        var expired = new ConversationKey("teams", "expired");
        var free = new ConversationKey("discord", "free");
        var done = new ConversationKey("teams", "done");
        await store.TryAcceptAsync(Message(free.Channel, free.ConversationId, "f1"), T0);
        await store.TryAcceptAsync(Message(leased.Channel, leased.ConversationId, "l1"), T0);
        await store.TryAcceptAsync(Message(expired.Channel, expired.ConversationId, "e1"), T0);
        await store.TryAcceptAsync(Message(free.Channel, free.ConversationId, "f2"), T0);
        var answered = (await store.TryAcceptAsync(Message(done.Channel, done.ConversationId, "d1"), T0))!.Value;
        await store.SetInboxStatusAsync([answered], InboxStatus.Answered, T0);
        await store.TryAcquireLeaseAsync(leased, "a", T0, Timeout);
        await store.TryAcquireLeaseAsync(expired, "b", T0.AddSeconds(-20), Timeout);

        Assert.Equal([free, expired], await store.GetUnleasedWaitingConversationsAsync(T0, 10));
        Assert.Equal([free], await store.GetUnleasedWaitingConversationsAsync(T0, 1));
        // Once the live lease expires too, its conversation is listed as well.
        Assert.Equal([free, leased, expired], await store.GetUnleasedWaitingConversationsAsync(T0 + Timeout, 10));
    }

    [Fact]
    public async Task Signals_go_to_the_lease_holder_once_and_stale_ones_are_dropped_unread()
    {
        var first = await Db.OpenStoreAsync();
        var second = await Db.OpenStoreAsync();
        var c2 = new ConversationKey("teams", "c2");
        await first.TryAcquireLeaseAsync(C1, "a", T0, Timeout);
        await first.TryAcquireLeaseAsync(c2, "b", T0, Timeout);
        await second.AddSignalAsync(C1, ConversationSignal.Stop, T0.AddSeconds(-30));
        await second.AddSignalAsync(C1, ConversationSignal.Stop, T0.AddSeconds(1));
        await second.AddSignalAsync(c2, ConversationSignal.Reset, T0.AddSeconds(1));
        await second.AddSignalAsync(C1, ConversationSignal.Reset, T0.AddSeconds(2));

        var forA = await first.TakeSignalsAsync("a", T0);
        var again = await first.TakeSignalsAsync("a", T0);
        var forB = await second.TakeSignalsAsync("b", T0);

        Assert.Equal([(C1, ConversationSignal.Stop), (C1, ConversationSignal.Reset)], forA);
        Assert.Empty(again);
        Assert.Equal([(c2, ConversationSignal.Reset)], forB);
        Assert.Empty(await second.TakeSignalsAsync("c", T0.AddSeconds(-60)));
    }

    [Fact]
    public async Task A_conversations_unfinished_inbox_holds_what_any_instance_accepted_in_order()
    {
        var first = await Db.OpenStoreAsync();
        var second = await Db.OpenStoreAsync();
        var m1 = (await first.TryAcceptAsync(Message("teams", "c1", "m1"), T0))!.Value;
        await second.TryAcceptAsync(Message("teams", "other", "x1"), T0);
        var m2 = (await second.TryAcceptAsync(Message("teams", "c1", "m2"), T0))!.Value;
        var m3 = (await first.TryAcceptAsync(Message("teams", "c1", "m3"), T0))!.Value;
        var conversation = await first.GetOrCreateConversationAsync(C1, "Responses", T0);
        var turnId = await first.StartTurnAsync(conversation.Id, [m1], T0);
        await second.SetInboxStatusAsync([m3], InboxStatus.Cancelled, T0);

        var unfinished = await second.GetUnfinishedInboxAsync(C1);

        Assert.Equal([m1, m2], unfinished.Select(r => r.Id));
        Assert.Equal([InboxStatus.Processing, InboxStatus.Accepted], unfinished.Select(r => r.Status));
        Assert.Equal([turnId, (long?)null], unfinished.Select(r => r.TurnId));
        Assert.Equal("hello from m2", unfinished[1].Message.Text);
        Assert.Equal(C1, unfinished[1].Message.Conversation);
    }
}
