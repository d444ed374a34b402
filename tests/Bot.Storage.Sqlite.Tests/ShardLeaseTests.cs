using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>Discord shard leases and identify buckets: the same rules on every store, two instances as two stores on one database.</summary>
public sealed class ShardLeaseTests : StoreTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan IdentifyInterval = TimeSpan.FromSeconds(5);
    private static readonly ShardSession Session = new("session-1", "wss://resume.example/", 42, "bot-user", "app");

    [Fact]
    public async Task A_free_shard_is_taken_and_another_instance_cannot_take_it_while_its_lease_lives()
    {
        var store = await Db.OpenStoreAsync();

        var lease = await store.TryAcquireShardAsync(4, 1, "a", T0, Timeout);

        Assert.Equal(new ShardLease(4, 1, "a", T0 + Timeout, null), lease);
        Assert.Null(await store.TryAcquireShardAsync(4, 1, "b", T0.AddSeconds(14.999), Timeout));
        // Another shard, or the same id of another shard count, is a lease of its own.
        Assert.NotNull(await store.TryAcquireShardAsync(4, 2, "b", T0, Timeout));
        Assert.NotNull(await store.TryAcquireShardAsync(2, 1, "b", T0, Timeout));
        Assert.Equal([(1, "a"), (2, "b")], (await store.GetShardLeasesAsync(4)).Select(l => (l.ShardId, l.OwnerInstanceId)));
    }

    [Fact]
    public async Task The_saved_session_goes_with_the_lease_to_the_instance_that_takes_it_over_after_expiry()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireShardAsync(4, 3, "a", T0, Timeout);
        Assert.True(await store.RenewShardAsync(4, 3, "a", Session, T0.AddSeconds(5), Timeout));

        Assert.Null(await store.TryAcquireShardAsync(4, 3, "b", T0.AddSeconds(5) + Timeout - TimeSpan.FromMilliseconds(1), Timeout));
        var taken = await store.TryAcquireShardAsync(4, 3, "b", T0.AddSeconds(5) + Timeout, Timeout);

        Assert.Equal(new ShardLease(4, 3, "b", T0.AddSeconds(5) + Timeout + Timeout, Session), taken);
        // The old holder lost it: it can neither renew (nor overwrite the session) nor release it.
        Assert.False(await store.RenewShardAsync(4, 3, "a", Session with { Sequence = 99 }, T0.AddSeconds(21), Timeout));
        Assert.False(await store.ReleaseShardAsync(4, 3, "a"));
        Assert.Equal(42, Assert.Single(await store.GetShardLeasesAsync(4)).Session!.Sequence);
    }

    [Fact]
    public async Task A_renewal_saves_the_latest_session_and_null_forgets_it()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireShardAsync(1, 0, "a", T0, Timeout);

        Assert.True(await store.RenewShardAsync(1, 0, "a", Session, T0.AddSeconds(1), Timeout));
        Assert.True(await store.RenewShardAsync(1, 0, "a", Session with { Sequence = 50 }, T0.AddSeconds(2), Timeout));
        Assert.Equal(new ShardLease(1, 0, "a", T0.AddSeconds(2) + Timeout, Session with { Sequence = 50 }),
            Assert.Single(await store.GetShardLeasesAsync(1)));

        Assert.True(await store.RenewShardAsync(1, 0, "a", null, T0.AddSeconds(3), Timeout));
        Assert.Null(Assert.Single(await store.GetShardLeasesAsync(1)).Session);
    }

    [Fact]
    public async Task A_released_shard_is_free_at_once_and_keeps_its_session_for_the_next_holder()
    {
        var store = await Db.OpenStoreAsync();
        await store.TryAcquireShardAsync(2, 0, "a", T0, Timeout);
        await store.RenewShardAsync(2, 0, "a", Session, T0, Timeout);

        Assert.False(await store.ReleaseShardAsync(2, 0, "b"));
        Assert.True(await store.ReleaseShardAsync(2, 0, "a"));
        Assert.False(await store.ReleaseShardAsync(2, 0, "a"));

        Assert.Equal(Session, (await store.TryAcquireShardAsync(2, 0, "b", T0.AddSeconds(1), Timeout))!.Session);
    }

    [Fact]
    public async Task An_identify_bucket_gives_one_slot_per_interval_whoever_asks()
    {
        var store = await Db.OpenStoreAsync();

        Assert.True(await store.TryTakeIdentifySlotAsync(0, T0, IdentifyInterval));
        Assert.False(await store.TryTakeIdentifySlotAsync(0, T0.AddSeconds(4.999), IdentifyInterval));
        // Another bucket is not held up.
        Assert.True(await store.TryTakeIdentifySlotAsync(1, T0.AddSeconds(1), IdentifyInterval));
        Assert.True(await store.TryTakeIdentifySlotAsync(0, T0.AddSeconds(5), IdentifyInterval));
        Assert.False(await store.TryTakeIdentifySlotAsync(0, T0.AddSeconds(9), IdentifyInterval));
    }

    [Fact]
    public async Task Two_instances_racing_for_one_shard_or_one_identify_slot_get_it_exactly_once()
    {
        var first = await Db.OpenStoreAsync();
        var second = await Db.OpenStoreAsync();
        for (var round = 0; round < 10; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var at = T0.AddMinutes(round);
            var shards = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            {
                await start.Task;
                var store = i % 2 == 0 ? first : second;
                return await store.TryAcquireShardAsync(8, round % 8, $"i{i}", at.AddMinutes(10 * round), Timeout) is not null;
            })).ToList();
            var slots = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await (i % 2 == 0 ? first : second).TryTakeIdentifySlotAsync(round, at, IdentifyInterval);
            })).ToList();
            start.SetResult();

            Assert.Equal(1, (await Task.WhenAll(shards)).Count(won => won));
            Assert.Equal(1, (await Task.WhenAll(slots)).Count(won => won));
        }
    }
}
