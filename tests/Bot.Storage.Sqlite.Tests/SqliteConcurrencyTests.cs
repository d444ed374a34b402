namespace Bot.Storage.Sqlite.Tests;

/// <summary>How the SQLite store meets another process on the same file (not part of the shared store suite).</summary>
public sealed class SqliteConcurrencyTests : StoreTestBase
{
    [Fact]
    public async Task A_write_waits_for_another_process_holding_the_write_lock_instead_of_failing()
    {
        var store = await Db.OpenStoreAsync();
        using var otherProcess = Db.OpenRawConnection();
        using var transaction = otherProcess.BeginTransaction(deferred: false);

        // SQLite waits synchronously, so the write runs on a thread of its own.
        var write = Task.Run(() => store.FollowPlaceAsync("discord", "from the store"));
        await Task.Delay(200);
        var finishedWhileLocked = write.IsCompleted;
        transaction.Commit();
        await write;

        Assert.False(finishedWhileLocked);
        Assert.True(await store.IsPlaceFollowedAsync("discord", "from the store"));
    }
}
