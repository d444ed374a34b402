namespace Bot.Storage.Sqlite.Tests;

public sealed partial class QueryPlanTests
{
    [Fact]
    public async Task A_paths_settings_are_primary_key_lookups_and_a_places_history_reads_its_index()
    {
        await Db.OpenStoreAsync();

        Assert.Contains(Plan(SqliteConversationStore.SelectPlaceSettings), line => line.Contains("SEARCH place_settings USING PRIMARY KEY", StringComparison.Ordinal));
        Assert.Contains(Plan(SqliteConversationStore.SelectPlaceSettingHistory), line => line.Contains("ix_place_setting_history_place", StringComparison.Ordinal));
    }
}
