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
    public async Task Adding_usage_finds_its_row_through_the_primary_key()
    {
        await Db.OpenStoreAsync();

        Assert.DoesNotContain(Plan(SqliteConversationStore.AddUsage), line => line.StartsWith("SCAN", StringComparison.Ordinal));
    }
}
