using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Postgres.Tests;

/// <summary>
/// The place ledger on PostgreSQL beyond the shared PlaceUsageLedgerTests: two instances writing the same rows at once,
/// and arguments refused before anything is written.
/// </summary>
public sealed class PostgresPlaceUsageTests : StoreTestBase
{
    private static readonly DateOnly Day = new(2026, 3, 14);
    private static readonly string[] Path = ["teams:tenant", "teams:team", "teams:channel"];

    [Fact]
    public async Task Turns_finishing_at_once_on_two_instances_all_count_at_every_place_no_update_is_lost()
    {
        var one = await Db.OpenStoreAsync();
        var other = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Paths in both orders: the store must not deadlock on rows that two turns share.
        var records = Enumerable.Range(0, 120).Select(i => Task.Run(async () =>
        {
            await start.Task;
            string[] path = i % 2 == 0 ? Path : [.. Path.Reverse()];
            await (i % 2 == 0 ? one : other).RecordUsageAsync(Entry($"u{i % 4}", Day, 5, 1) with { PlaceIds = path, DisplayName = $"n{i}" });
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(records);

        foreach (var place in Path)
            Assert.Equal(new UsageTotals(720, 120, 720, 120), await one.GetPlaceUsageAsync(place, Day));
        Assert.Equal(720, (await one.GetTopPlaceUsersAsync("teams:channel", Day, 10)).Sum(u => u.Tokens));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_is_written()
    {
        var store = await Db.OpenStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RecordUsageAsync(Entry("", Day, 1, 1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetPlaceUsageAsync("", Day));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetModelUsageAsync(new UsageOwner(null, null, null), Day));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetTopPlaceUsersAsync("teams:team", Day, -1));
        Assert.Equal(0L, Db.Scalar<long>("SELECT count(*) FROM place_usage;"));
    }

    private static UsageEntry Entry(string user, DateOnly day, long input, long output, string model = "gpt-4.1-mini",
        string place = "teams:channel", long cached = 0) =>
        new("teams", user, place, model, day, new TokenUsage(input, output, cached));
}
