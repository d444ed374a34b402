namespace Bot.Storage.Sqlite.Tests;

public sealed partial class QueryPlanTests
{
    [Fact]
    public async Task A_users_day_and_month_are_a_range_of_the_usage_ledgers_primary_key()
    {
        await Db.OpenStoreAsync();

        var plan = Plan(SqliteConversationStore.SelectUserUsage);

        Assert.Equal(["SEARCH usage_ledger USING PRIMARY KEY (channel=? AND user_id=? AND day>? AND day<?)"], plan);
    }

    [Fact]
    public async Task A_places_day_and_month_are_a_range_of_the_place_usage_primary_key()
    {
        await Db.OpenStoreAsync();

        var plan = Plan(SqliteConversationStore.SelectPlaceUsage);

        Assert.Equal(["SEARCH place_usage USING PRIMARY KEY (place_id=? AND day>? AND day<?)"], plan);
    }

    [Fact]
    public async Task Usage_per_model_of_a_user_or_a_place_is_a_range_of_a_primary_key()
    {
        await Db.OpenStoreAsync();

        Assert.Contains(Plan(SqliteConversationStore.SelectUserModelUsage),
            line => line == "SEARCH usage_ledger USING PRIMARY KEY (channel=? AND user_id=? AND day>? AND day<?)");
        Assert.Contains(Plan(SqliteConversationStore.SelectPlaceModelUsage),
            line => line == "SEARCH place_usage USING PRIMARY KEY (place_id=? AND day>? AND day<?)");
    }

    [Fact]
    public async Task A_places_top_users_read_its_month_through_the_primary_keys()
    {
        await Db.OpenStoreAsync();
        var tables = Tables();

        var plan = Plan(SqliteConversationStore.SelectTopPlaceUsers);

        Assert.Contains(plan, line => line.StartsWith("SEARCH place_user_usage USING PRIMARY KEY (place_id=? AND month=?", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.StartsWith("SEARCH u USING PRIMARY KEY (channel=? AND user_id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => TableScan().Match(line) is { Success: true } scan && tables.Contains(scan.Groups[1].Value));
    }

    [Theory]
    [InlineData(nameof(SqliteConversationStore.AddUsage))]
    [InlineData(nameof(SqliteConversationStore.AddPlaceUsage))]
    [InlineData(nameof(SqliteConversationStore.AddPlaceUserUsage))]
    [InlineData(nameof(SqliteConversationStore.UpsertUsageUser))]
    public async Task Adding_usage_finds_its_row_through_the_primary_key(string statement)
    {
        await Db.OpenStoreAsync();

        var sql = (string)typeof(SqliteConversationStore).GetField(statement, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .GetValue(null)!;

        Assert.DoesNotContain(Plan(sql), line => line.StartsWith("SCAN", StringComparison.Ordinal));
    }
}
