using Bot.Core.Storage;
using Bot.Testing;

namespace Bot.Storage.Sqlite.Tests;

public sealed class VisitorSessionTests : StoreTestBase
{
    [Fact]
    public async Task A_visitors_current_thread_is_the_last_one_set_and_survives_a_restart()
    {
        var store = await Db.OpenStoreAsync();
        Assert.Null(await store.FindCurrentThreadAsync("v1"));

        await store.SetCurrentThreadAsync("v1", "thread-a");
        await store.SetCurrentThreadAsync("v1", "thread-b");
        await store.SetCurrentThreadAsync("v2", "thread-c");
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal("thread-b", await reopened.FindCurrentThreadAsync("v1"));
        Assert.Equal("thread-c", await reopened.FindCurrentThreadAsync("v2"));
        Assert.Null(await reopened.FindCurrentThreadAsync("v3"));
        Assert.Equal(2, Db.Scalar<long>("SELECT count(*) FROM visitors;"));
    }

    [Fact]
    public async Task A_thread_is_unclaimed_then_owned_then_released_and_the_store_tells_the_three_apart()
    {
        var clock = new ManualClock(T0);
        var store = await Db.OpenStoreAsync(clock);
        Assert.Null(await store.FindThreadOwnerAsync("thread-a"));

        await store.ClaimThreadAsync("thread-a", "v1");
        Assert.Equal(new ThreadOwnership("v1"), await store.FindThreadOwnerAsync("thread-a"));
        Assert.False((await store.FindThreadOwnerAsync("thread-a"))!.IsReleased);

        clock.Advance(TimeSpan.FromMinutes(5));
        await store.ReleaseThreadAsync("thread-a");
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync(clock);

        var released = await reopened.FindThreadOwnerAsync("thread-a");
        Assert.NotNull(released);
        Assert.True(released.IsReleased);
        Assert.Null(released.VisitorId);
        Assert.Null(await reopened.FindThreadOwnerAsync("thread-b"));
        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM visitor_threads;"));
        Assert.Equal(T0.AddMinutes(5).ToUnixTimeMilliseconds(), Db.Scalar<long>("SELECT updated_at_ms FROM visitor_threads;"));
    }

    [Fact]
    public async Task Claiming_a_thread_again_replaces_its_owner()
    {
        var store = await Db.OpenStoreAsync();

        await store.ClaimThreadAsync("thread-a", "v1");
        await store.ClaimThreadAsync("thread-a", "v2");

        Assert.Equal("v2", (await store.FindThreadOwnerAsync("thread-a"))?.VisitorId);
    }
}
