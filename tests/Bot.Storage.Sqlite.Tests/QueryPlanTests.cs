using System.Reflection;
using System.Text.RegularExpressions;

namespace Bot.Storage.Sqlite.Tests;

public sealed partial class QueryPlanTests : StoreTestBase
{
    public static TheoryData<string> Statements()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(StoreSql).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.IsLiteral)
                data.Add(field.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Statement_finds_its_rows_through_a_key_or_an_index_never_a_table_scan(string statement)
    {
        await Db.OpenStoreAsync();

        var plan = Plan((string)typeof(StoreSql).GetField(statement)!.GetValue(null)!);
        var tables = Tables();

        Assert.Contains("conversations", tables);
        Assert.DoesNotContain(plan, line => TableScan().Match(line) is { Success: true } scan && tables.Contains(scan.Groups[1].Value));
    }

    [Fact]
    public async Task The_unfinished_inbox_and_the_messages_of_a_turn_are_read_through_their_partial_indexes()
    {
        await Db.OpenStoreAsync();

        Assert.Contains(Plan(StoreSql.SelectUnfinishedInbox), line => line.Contains("ix_inbox_unfinished", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.SetInboxStatusOfTurn), line => line.Contains("ix_inbox_turn", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.CountModerationEvents), line => line.Contains("ix_moderation_events_user", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.FindActiveConversation), line => line.Contains("ux_conversations_active_key", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.SelectLiveRemoteObjects), line => line.Contains("ix_remote_objects_conversation", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.RequestRemoteDeletion), line => line.Contains("ix_remote_objects_conversation", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.SelectDueDeletions), line => line.Contains("ix_remote_objects_delete_due", StringComparison.Ordinal));
        Assert.Contains(Plan(StoreSql.SelectNextDeletionDue), line => line.Contains("ix_remote_objects_delete_due", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(StoreSql.SelectPlaceFollowed), "followed_places")]
    [InlineData(nameof(StoreSql.SelectCurrentThread), "visitors")]
    [InlineData(nameof(StoreSql.SelectThreadOwner), "visitor_threads")]
    [InlineData(nameof(StoreSql.SelectSecret), "secrets")]
    [InlineData(nameof(StoreSql.SelectProvisionedAssistant), "provisioned_assistants")]
    [InlineData(nameof(StoreSql.ForgetProvisionedAssistant), "provisioned_assistants")]
    public async Task A_typed_record_is_found_through_its_primary_key(string statement, string table)
    {
        await Db.OpenStoreAsync();

        var plan = Plan((string)typeof(StoreSql).GetField(statement)!.GetValue(null)!);

        Assert.Contains(plan, line => line.StartsWith($"SEARCH {table} USING PRIMARY KEY", StringComparison.Ordinal));
    }

    // Every table of the schema, so that a table a later migration adds is checked without this test knowing it.
    private HashSet<string> Tables()
    {
        using var connection = Db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
        using var reader = command.ExecuteReader();
        var tables = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
            tables.Add(reader.GetString(0));
        return tables;
    }

    private List<string> Plan(string sql)
    {
        using var connection = Db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct())
            command.Parameters.AddWithValue(name, DBNull.Value);
        var lines = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            lines.Add(reader.GetString(3));
        return lines;
    }

    [GeneratedRegex(@"^SCAN (\w+)")]
    private static partial Regex TableScan();

    [GeneratedRegex(@"\$[a-z_]+")]
    private static partial Regex Parameter();
}
