using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class UsageLedgerTests : StoreTestBase
{
    private static readonly DateOnly Day = new(2026, 3, 14);

    [Fact]
    public async Task Records_add_up_per_day_and_per_month_over_models_and_places()
    {
        var store = await Db.OpenStoreAsync();

        await store.RecordUsageAsync(Entry("u1", Day, 100, 20));
        await store.RecordUsageAsync(Entry("u1", Day, 10, 2, model: "gpt-5"));
        await store.RecordUsageAsync(Entry("u1", Day, 1, 1, place: "discord:other"));
        await store.RecordUsageAsync(Entry("u1", Day.AddDays(-13), 1000, 0)); // 1 March: same month
        await store.RecordUsageAsync(Entry("u1", Day.AddDays(-14), 5000, 0)); // 28 February: last month
        await store.RecordUsageAsync(Entry("u1", Day.AddDays(18), 7000, 0));  // 1 April: next month
        await store.RecordUsageAsync(Entry("u2", Day, 50, 50));
        await store.RecordUsageAsync(Entry("u1", Day, 50, 50) with { Channel = "teams" });

        Assert.Equal(new UsageTotals(134, 3, 1134, 4), await store.GetUserUsageAsync("discord", "u1", Day));
        Assert.Equal(new UsageTotals(0, 0, 1134, 4), await store.GetUserUsageAsync("discord", "u1", Day.AddDays(1)));
        Assert.Equal(new UsageTotals(0, 0, 0, 0), await store.GetUserUsageAsync("discord", "nobody", Day));
        Assert.Equal(3L, Db.Scalar<long>("SELECT count(*) FROM usage_ledger WHERE user_id = 'u1' AND channel = 'discord' AND day = '2026-03-14'"));
    }

    [Fact]
    public async Task Turns_finishing_at_once_for_one_user_all_count_no_update_is_lost()
    {
        var store = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var records = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await store.RecordUsageAsync(Entry("u1", Day, 7, i % 3));
        })).ToArray();
        // A second store object on the same file is a second process as far as SQLite is concerned.
        await using var other = await Db.OpenStoreAsync();
        var fromOther = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await other.RecordUsageAsync(Entry("u1", Day, 1, 0));
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(records.Concat(fromOther));

        var expected = 200 * 7 + Enumerable.Range(0, 200).Sum(i => i % 3) + 50;
        Assert.Equal(new UsageTotals(expected, 250, expected, 250), await store.GetUserUsageAsync("discord", "u1", Day));
    }

    private static UsageEntry Entry(string user, DateOnly day, long input, long output, string model = "gpt-4.1-mini", string place = "discord:c1") =>
        new("discord", user, place, model, day, new TokenUsage(input, output));
}
