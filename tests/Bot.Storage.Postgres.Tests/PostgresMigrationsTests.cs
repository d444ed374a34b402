using Bot.Testing.Postgres;
using Npgsql;

namespace Bot.Storage.Postgres.Tests;

public sealed class PostgresMigrationsTests : StoreTestBase
{
    private const int MigrationApplied = 8001;

    [Fact]
    public async Task Instances_starting_together_on_a_fresh_database_apply_every_script_exactly_once()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => Db.CreateStore()).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = stores.Select(store => Task.Run(async () =>
        {
            await start.Task;
            await store.InitializeAsync();
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(starts);

        Assert.Equal(PostgresMigrations.LatestVersion, Db.Logger.Count(MigrationApplied));
        Assert.Equal(PostgresMigrations.LatestVersion, Db.Scalar<long>("SELECT count(*) FROM schema_version;"));
        Assert.Equal(PostgresMigrations.LatestVersion, Db.Scalar<int>("SELECT max(version) FROM schema_version;"));
        foreach (var store in stores)
            await store.PingAsync();
    }

    [Fact]
    public async Task InitializeAsync_waits_for_the_migration_lock_that_another_instance_holds()
    {
        await using var other = Db.OpenRawConnection();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", other, transaction))
        {
            take.Parameters.AddWithValue("key", PostgresMigrations.LockKey);
            await take.ExecuteNonQueryAsync();
        }

        var store = Db.CreateStore();
        var initialize = store.InitializeAsync();
        var finished = await Task.WhenAny(initialize, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.NotSame(initialize, finished);
        Assert.Equal(0, Db.Logger.Count(MigrationApplied));

        await transaction.CommitAsync();
        await initialize;

        Assert.Equal(PostgresMigrations.LatestVersion, Db.Logger.Count(MigrationApplied));
    }

    [Fact]
    public async Task A_restart_applies_nothing_and_keeps_the_data()
    {
        var first = await Db.OpenStoreAsync();
        await first.FollowPlaceAsync("discord", "t1");
        await first.DisposeAsync();

        var second = await Db.OpenStoreAsync();

        Assert.Equal(PostgresMigrations.LatestVersion, Db.Logger.Count(MigrationApplied));
        Assert.True(await second.IsPlaceFollowedAsync("discord", "t1"));
    }

    [Fact]
    public async Task A_database_written_by_a_newer_build_is_refused_with_its_version_and_the_key()
    {
        await (await Db.OpenStoreAsync()).DisposeAsync();
        Db.Scalar<long>($"INSERT INTO schema_version (version, applied_at_ms) VALUES ({PostgresMigrations.LatestVersion + 1}, 0);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Db.CreateStore().InitializeAsync());

        Assert.Contains($"schema version {PostgresMigrations.LatestVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresStoreOptions.ConnectionStringKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_used_before_InitializeAsync_says_so()
    {
        var store = Db.CreateStore();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.FollowPlaceAsync("discord", "t1"));

        Assert.Contains("InitializeAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_of_the_tests_listens_on_loopback_only()
    {
        Assert.Equal("127.0.0.1", Db.Scalar<string>("SELECT current_setting('listen_addresses');"));
        Assert.Equal("off", Db.Scalar<string>("SELECT current_setting('fsync');"));
        Assert.IsType<ThrowawayPostgres>(Db.Cluster);
    }
}
