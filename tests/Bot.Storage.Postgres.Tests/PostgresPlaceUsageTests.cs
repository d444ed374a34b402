using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Postgres.Tests;

/// <summary>
/// The place ledger members of <see cref="IUsageLedger"/> on PostgreSQL. (The shared PlaceUsageLedgerTests of the SQLite
/// project join the suite once they exist; these stay as the PostgreSQL-side check.)
/// </summary>
public sealed class PostgresPlaceUsageTests : StoreTestBase
{
    private static readonly DateOnly Day = new(2026, 3, 14);
    private static readonly string[] Path = ["teams:tenant", "teams:team", "teams:channel"];

    [Fact]
    public async Task A_turn_counts_for_every_place_of_its_path_by_day_and_month_and_for_no_other()
    {
        var store = await Db.OpenStoreAsync();

        await store.RecordUsageAsync(Entry("u1", Day, 100, 20) with { PlaceIds = Path });
        await store.RecordUsageAsync(Entry("u2", Day.AddDays(-13), 1000, 0, cached: 600) with { PlaceIds = Path[..2] }); // 1 March
        await store.RecordUsageAsync(Entry("u2", Day.AddDays(-14), 5000, 0) with { PlaceIds = Path });                  // February
        await store.RecordUsageAsync(Entry("u3", Day, 7, 7, place: "teams:elsewhere"));                                  // no path: its place

        Assert.Equal(new UsageTotals(120, 1, 1120, 2), await store.GetPlaceUsageAsync("teams:tenant", Day));
        Assert.Equal(new UsageTotals(120, 1, 1120, 2), await store.GetPlaceUsageAsync("teams:team", Day));
        Assert.Equal(new UsageTotals(120, 1, 120, 1), await store.GetPlaceUsageAsync("teams:channel", Day));
        Assert.Equal(new UsageTotals(5000, 1, 5000, 1), await store.GetPlaceUsageAsync("teams:channel", Day.AddDays(-14)));
        Assert.Equal(new UsageTotals(14, 1, 14, 1), await store.GetPlaceUsageAsync("teams:elsewhere", Day));
        Assert.Equal(new UsageTotals(0, 0, 0, 0), await store.GetPlaceUsageAsync("teams:nowhere", Day));
        // The user's own ledger still counts each turn once, whatever the length of its path.
        Assert.Equal(new UsageTotals(0, 0, 1000, 1), await store.GetUserUsageAsync("teams", "u2", Day));
    }

    [Fact]
    public async Task A_path_that_names_a_place_twice_counts_it_once()
    {
        var store = await Db.OpenStoreAsync();

        await store.RecordUsageAsync(Entry("u1", Day, 10, 0) with { PlaceIds = ["teams:a", "teams:a", "teams:b"] });

        Assert.Equal(new UsageTotals(10, 1, 10, 1), await store.GetPlaceUsageAsync("teams:a", Day));
    }

    [Fact]
    public async Task Model_usage_of_a_user_and_of_a_place_is_split_by_model_in_name_order_with_cached_tokens_apart()
    {
        var store = await Db.OpenStoreAsync();
        await store.RecordUsageAsync(Entry("u1", Day, 100, 10, model: "gpt-b", cached: 40) with { PlaceIds = Path });
        await store.RecordUsageAsync(Entry("u1", Day.AddDays(-1), 50, 5, model: "gpt-b", cached: 0) with { PlaceIds = Path });
        await store.RecordUsageAsync(Entry("u1", Day, 1, 1, model: "Gpt-a") with { PlaceIds = Path });
        await store.RecordUsageAsync(Entry("u2", Day, 9, 9, model: "gpt-b") with { PlaceIds = Path });

        var user = await store.GetModelUsageAsync(UsageOwner.User("teams", "u1"), Day);
        var place = await store.GetModelUsageAsync(UsageOwner.Place("teams:team"), Day);

        Assert.Equal(
            [
                new ModelUsage("Gpt-a", new TokenUsage(1, 1), 1, new TokenUsage(1, 1), 1),
                new ModelUsage("gpt-b", new TokenUsage(100, 10, 40), 1, new TokenUsage(150, 15, 40), 2),
            ],
            user);
        Assert.Equal(
            [
                new ModelUsage("Gpt-a", new TokenUsage(1, 1), 1, new TokenUsage(1, 1), 1),
                new ModelUsage("gpt-b", new TokenUsage(109, 19, 40), 2, new TokenUsage(159, 24, 40), 3),
            ],
            place);
        Assert.Empty(await store.GetModelUsageAsync(UsageOwner.Place("teams:nowhere"), Day));
    }

    [Fact]
    public async Task Top_users_of_a_place_are_the_months_biggest_with_ties_by_channel_and_user_and_their_last_name()
    {
        var store = await Db.OpenStoreAsync();
        await store.RecordUsageAsync(Entry("u1", Day, 100, 0, model: "gpt-b") with { PlaceIds = Path, DisplayName = "Ada" });
        await store.RecordUsageAsync(Entry("u1", Day.AddDays(1), 50, 0, model: "gpt-a") with { PlaceIds = Path, DisplayName = "Ada L." });
        await store.RecordUsageAsync(Entry("u3", Day, 20, 0) with { PlaceIds = Path });
        await store.RecordUsageAsync(Entry("u2", Day, 20, 0) with { PlaceIds = Path, DisplayName = "Bo" });
        await store.RecordUsageAsync(Entry("u9", Day.AddDays(-14), 9000, 0) with { PlaceIds = Path }); // last month
        await store.RecordUsageAsync(Entry("u8", Day, 9000, 0, place: "teams:elsewhere"));              // another place

        var top = await store.GetTopPlaceUsersAsync("teams:team", Day, 2);
        var all = await store.GetTopPlaceUsersAsync("teams:team", Day, 10);

        Assert.Equal([("u1", "Ada L.", 150L, 2L), ("u2", "Bo", 20L, 1L)], top.Select(u => (u.UserId, u.DisplayName, u.Tokens, u.Turns)));
        Assert.Equal(["gpt-a", "gpt-b"], top[0].Models.Select(m => m.Model));
        Assert.Equal(new PlaceUserModelUsage("gpt-a", new TokenUsage(50, 0), 1), top[0].Models[0]);
        Assert.Equal(["u1", "u2", "u3"], all.Select(u => u.UserId));
        Assert.Null(all[2].DisplayName);
        Assert.Empty(await store.GetTopPlaceUsersAsync("teams:team", Day, 0));
        Assert.Empty(await store.GetTopPlaceUsersAsync("teams:nowhere", Day, 5));
    }

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
