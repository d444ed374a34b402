namespace Bot.Storage.Sqlite.Tests;

public sealed class SecretTests : StoreTestBase
{
    [Fact]
    public async Task GetOrAddSecretAsync_stores_the_first_candidate_and_returns_it_ever_after_across_a_restart()
    {
        var store = await Db.OpenStoreAsync();
        byte[] first = [1, 2, 3, 4], second = [9, 9, 9, 9];

        Assert.Equal(first, await store.GetOrAddSecretAsync("web-chat", first));
        Assert.Equal(first, await store.GetOrAddSecretAsync("web-chat", second));
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal(first, await reopened.GetOrAddSecretAsync("web-chat", second));
        Assert.Equal(second, await reopened.GetOrAddSecretAsync("other", second));
        Assert.Equal(2, Db.Scalar<long>("SELECT count(*) FROM secrets;"));
    }

    [Fact]
    public async Task Two_stores_on_one_file_racing_for_a_new_secret_both_get_the_one_that_was_kept()
    {
        var one = await Db.OpenStoreAsync();
        var other = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? one : other).GetOrAddSecretAsync("web-chat", new byte[] { (byte)i, 1, 2, 3 });
        })).ToArray();

        start.SetResult();
        var secrets = await Task.WhenAll(calls);

        Assert.Single(secrets.Select(Convert.ToHexString).Distinct());
        Assert.Equal(1, Db.Scalar<long>("SELECT count(*) FROM secrets;"));
    }

    [Fact]
    public async Task An_empty_secret_is_refused()
    {
        var store = await Db.OpenStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetOrAddSecretAsync("web-chat", Array.Empty<byte>()));
    }
}
