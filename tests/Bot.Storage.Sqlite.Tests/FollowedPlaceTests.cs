using Bot.Testing;

namespace Bot.Storage.Sqlite.Tests;

public sealed class FollowedPlaceTests : StoreTestBase
{
    [Fact]
    public async Task FollowPlaceAsync_is_remembered_across_a_restart_for_that_channel_and_place_only()
    {
        var store = await Db.OpenStoreAsync();
        Assert.False(await store.IsPlaceFollowedAsync("discord", "t1"));

        await store.FollowPlaceAsync("discord", "t1");
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.True(await reopened.IsPlaceFollowedAsync("discord", "t1"));
        Assert.False(await reopened.IsPlaceFollowedAsync("discord", "t2"));
        Assert.False(await reopened.IsPlaceFollowedAsync("teams", "t1"));
        Assert.False(await reopened.IsPlaceFollowedAsync("discord", "T1"));
    }

    [Fact]
    public async Task Following_a_place_again_keeps_one_row_and_its_first_time()
    {
        var clock = new ManualClock(T0);
        var store = await Db.OpenStoreAsync(clock);

        await store.FollowPlaceAsync("discord", "t1");
        clock.Advance(TimeSpan.FromHours(1));
        await store.FollowPlaceAsync("discord", "t1");

        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM followed_places;"));
        Assert.Equal(T0.ToUnixTimeMilliseconds(), Db.Scalar<long>("SELECT followed_at_ms FROM followed_places;"));
    }

    [Fact]
    public async Task Concurrent_follows_of_one_place_all_succeed_with_one_row()
    {
        var store = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follows = Enumerable.Range(0, 30).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await store.FollowPlaceAsync("discord", "busy");
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(follows);

        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM followed_places;"));
    }
}
