using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>
/// The place ledger through the store's port (<see cref="IUsageLedger"/>) only: place totals, usage per model, top users
/// and display names. No store-specific API, so that another store can run the same tests.
/// </summary>
public sealed class PlaceUsageLedgerTests : StoreTestBase
{
    private static readonly DateOnly Day = new(2026, 3, 14);
    private static readonly string[] Path = ["teams:tenant", "teams:team", "teams:channel"];

    [Fact]
    public async Task A_turn_counts_towards_every_level_of_its_place_path_and_the_nearest_alone_when_none_is_given()
    {
        IUsageLedger ledger = await Db.OpenStoreAsync();

        await ledger.RecordUsageAsync(Entry("u1", Day, 100, 20) with { PlaceIds = Path });
        await ledger.RecordUsageAsync(Entry("u1", Day, 5, 5, place: "web:visitor"));
        await ledger.RecordUsageAsync(Entry("u2", Day, 1, 1, place: "teams:channel") with { PlaceIds = ["teams:team", "teams:team", "teams:channel"] });

        Assert.Equal(new UsageTotals(120, 1, 120, 1), await ledger.GetPlaceUsageAsync("teams:tenant", Day));
        Assert.Equal(new UsageTotals(122, 2, 122, 2), await ledger.GetPlaceUsageAsync("teams:team", Day));
        Assert.Equal(new UsageTotals(122, 2, 122, 2), await ledger.GetPlaceUsageAsync("teams:channel", Day));
        Assert.Equal(new UsageTotals(10, 1, 10, 1), await ledger.GetPlaceUsageAsync("web:visitor", Day));
        Assert.Equal(new UsageTotals(0, 0, 0, 0), await ledger.GetPlaceUsageAsync("teams:elsewhere", Day));
        Assert.Equal(new UsageTotals(130, 2, 130, 2), await ledger.GetUserUsageAsync("teams", "u1", Day));
    }

    [Fact]
    public async Task Fifty_turns_recorded_at_once_are_all_counted_for_the_user_the_places_and_the_top_users()
    {
        IUsageLedger ledger = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var records = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await ledger.RecordUsageAsync(Entry(i % 2 == 0 ? "u1" : "u2", Day, 10, i, cached: 3) with { PlaceIds = Path, DisplayName = "Ada" });
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(records);

        var u1 = Enumerable.Range(0, 50).Where(i => i % 2 == 0).Sum(i => 10 + i);
        var u2 = Enumerable.Range(0, 50).Where(i => i % 2 == 1).Sum(i => 10 + i);
        Assert.Equal(new UsageTotals(u1, 25, u1, 25), await ledger.GetUserUsageAsync("teams", "u1", Day));
        Assert.Equal(new UsageTotals(u1 + u2, 50, u1 + u2, 50), await ledger.GetPlaceUsageAsync("teams:tenant", Day));
        Assert.Equal(new UsageTotals(u1 + u2, 50, u1 + u2, 50), await ledger.GetPlaceUsageAsync("teams:channel", Day));
        var top = await ledger.GetTopPlaceUsersAsync("teams:team", Day, 10);
        Assert.Equal([("u2", u2, 25L), ("u1", u1, 25L)], top.Select(t => (t.UserId, t.Tokens, t.Turns)));
        var model = Assert.Single((await ledger.GetModelUsageAsync(UsageOwner.Place("teams:team"), Day)));
        Assert.Equal(new TokenUsage(500, Enumerable.Range(0, 50).Sum(), 150), model.Month);
    }

    [Fact]
    public async Task A_places_month_runs_from_the_first_to_the_last_day_of_the_calendar_month()
    {
        IUsageLedger ledger = await Db.OpenStoreAsync();

        await ledger.RecordUsageAsync(Entry("u1", new DateOnly(2026, 2, 28), 1000, 0));
        await ledger.RecordUsageAsync(Entry("u1", new DateOnly(2026, 3, 1), 100, 0));
        await ledger.RecordUsageAsync(Entry("u2", new DateOnly(2026, 3, 31), 10, 0));
        await ledger.RecordUsageAsync(Entry("u2", new DateOnly(2026, 4, 1), 7, 0));

        Assert.Equal(new UsageTotals(0, 0, 110, 2), await ledger.GetPlaceUsageAsync("teams:channel", Day));
        Assert.Equal(new UsageTotals(10, 1, 110, 2), await ledger.GetPlaceUsageAsync("teams:channel", new DateOnly(2026, 3, 31)));
        Assert.Equal(new UsageTotals(7, 1, 7, 1), await ledger.GetPlaceUsageAsync("teams:channel", new DateOnly(2026, 4, 1)));
        Assert.Equal(["u1", "u2"], (await ledger.GetTopPlaceUsersAsync("teams:channel", Day, 10)).Select(t => t.UserId));
        Assert.Equal([1000L], (await ledger.GetTopPlaceUsersAsync("teams:channel", new DateOnly(2026, 2, 1), 10)).Select(t => t.Tokens));
        Assert.Equal([7L], (await ledger.GetTopPlaceUsersAsync("teams:channel", new DateOnly(2026, 4, 30), 10)).Select(t => t.Tokens));
    }

    [Fact]
    public async Task Top_users_come_most_first_ties_by_channel_and_user_id_and_no_more_than_asked()
    {
        IUsageLedger ledger = await Db.OpenStoreAsync();

        await ledger.RecordUsageAsync(Entry("b", Day, 50, 0));
        await ledger.RecordUsageAsync(Entry("a", Day, 30, 20, model: "gpt-5"));
        await ledger.RecordUsageAsync(Entry("c", Day, 10, 0));
        await ledger.RecordUsageAsync(Entry("z", Day, 200, 0) with { Channel = "discord" });
        await ledger.RecordUsageAsync(Entry("d", Day, 60, 0));
        await ledger.RecordUsageAsync(Entry("d", Day, 0, 40, model: "gpt-5"));

        var top = await ledger.GetTopPlaceUsersAsync("teams:channel", Day, 4);

        Assert.Equal([("discord", "z", 200L), ("teams", "d", 100L), ("teams", "a", 50L), ("teams", "b", 50L)],
            top.Select(t => (t.Channel, t.UserId, t.Tokens)));
        Assert.Equal(["gpt-4.1-mini", "gpt-5"], top[1].Models.Select(m => m.Model));
        Assert.Equal(2, top[1].Turns);
        Assert.Empty(await ledger.GetTopPlaceUsersAsync("teams:nowhere", Day, 4));
    }

    [Fact]
    public async Task The_display_name_is_the_last_one_given_and_a_turn_without_one_keeps_it()
    {
        IUsageLedger ledger = await Db.OpenStoreAsync();

        await ledger.RecordUsageAsync(Entry("u1", Day, 1, 1) with { DisplayName = "Ada" });
        await ledger.RecordUsageAsync(Entry("u1", Day, 1, 1) with { DisplayName = "Ada Lovelace" });
        await ledger.RecordUsageAsync(Entry("u1", Day, 1, 1));
        await ledger.RecordUsageAsync(Entry("u2", Day, 1, 1));

        var top = await ledger.GetTopPlaceUsersAsync("teams:channel", Day, 10);

        Assert.Equal([("u1", "Ada Lovelace"), ("u2", null)], top.Select(t => (t.UserId, t.DisplayName)));
    }

    [Fact]
    public async Task Usage_per_model_keeps_input_output_and_cached_input_apart_for_the_day_and_the_month()
    {
        IUsageLedger ledger = await Db.OpenStoreAsync();

        await ledger.RecordUsageAsync(Entry("u1", Day, 1000, 200, cached: 400));
        await ledger.RecordUsageAsync(Entry("u1", Day.AddDays(-1), 500, 100, cached: 0));
        await ledger.RecordUsageAsync(Entry("u1", Day, 10, 20, cached: 5, model: "gpt-5"));
        await ledger.RecordUsageAsync(Entry("u2", Day, 3, 3, cached: 3));

        var mine = await ledger.GetModelUsageAsync(UsageOwner.User("teams", "u1"), Day);
        var place = await ledger.GetModelUsageAsync(UsageOwner.Place("teams:channel"), Day);

        Assert.Equal(
            [new ModelUsage("gpt-4.1-mini", new TokenUsage(1000, 200, 400), 1, new TokenUsage(1500, 300, 400), 2),
             new ModelUsage("gpt-5", new TokenUsage(10, 20, 5), 1, new TokenUsage(10, 20, 5), 1)],
            mine);
        Assert.Equal(new ModelUsage("gpt-4.1-mini", new TokenUsage(1003, 203, 403), 2, new TokenUsage(1503, 303, 403), 3), place[0]);
        Assert.Empty(await ledger.GetModelUsageAsync(UsageOwner.User("teams", "nobody"), Day));
    }

    private static UsageEntry Entry(string user, DateOnly day, long input, long output, long cached = 0, string model = "gpt-4.1-mini",
        string place = "teams:channel") =>
        new("teams", user, place, model, day, new TokenUsage(input, output, cached));
}
