using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using Microsoft.Data.Sqlite;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>Budgets at the turn (issue 13, point 4): checked before the backend, usage recorded after, refusals told.</summary>
public sealed class BudgetTurnTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Noon);
    private readonly ScriptedBackend _backend = new() { Script = (_, _) => Events(new TextDelta("p", "Hi"), new UsageReported(new TokenUsage(15, 6)), new TurnFinished()) };

    [Fact]
    public async Task ABudgetCrossedDuringATurn_LetsItFinish_AndTheNextTurnIsRefusedWithoutCallingTheBackend()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions { PerUserDailyTokens = 30 });

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "one", "m1")));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "two", "m2")));
        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", "three", "m3")));

        Assert.Equal(2, _backend.Requests.Count);
        Assert.Equal("You've used your daily budget of 30 tokens; it resets at 00:00 UTC (in 12 h).", bot.Channel.Replies[^1].Text);
        Assert.Equal(new UsageTotals(42, 2, 42, 2), await bot.Store.GetUserUsageAsync("test", "ada", DateOnly.FromDateTime(Noon.UtcDateTime)));
        Assert.Equal(("Refused", (long?)null), InboxRow(bot.DatabasePath, "m3"));
        Assert.Equal(2L, Scalar(bot.DatabasePath, "SELECT count(*) FROM turns"));
    }

    [Fact]
    public async Task ARefusalIsTheReplysEnding_AndOtherUsersAndTheNextDayAreAnswered()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions { PerUserDailyTokens = 10 });
        await bot.AskAsync(bot.Channel.Message("c1", "one", "m1"));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", "two", "m2")));
        Assert.Equal(ReplyEndingKind.OverBudget, bot.Channel.Replies[^1].Final?.Ending?.Kind);
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c2", "hello", "m3", author: "Grace")));

        _clock.Advance(TimeSpan.FromHours(12));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "three", "m4")));
        Assert.Equal(3, _backend.Requests.Count);
        Assert.Empty(await bot.Store.GetUnfinishedInboxAsync("test"));
    }

    [Fact]
    public async Task WithoutBudgets_UsageIsStillRecorded_PerUserAndModel()
    {
        _backend.Model = "gpt-test";
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions());

        await bot.AskAsync(bot.Channel.Message("c1", "one", "m1"));
        await bot.AskAsync(bot.Channel.Message("c1", "two", "m2"));

        Assert.Equal(new UsageTotals(42, 2, 42, 2), await bot.Store.GetUserUsageAsync("test", "ada", DateOnly.FromDateTime(Noon.UtcDateTime)));
        Assert.Equal("gpt-test|test:c1|30|12", Text(bot.DatabasePath,
            "SELECT model || '|' || place_id || '|' || input_tokens || '|' || output_tokens FROM usage_ledger"));
    }

    private static (string Status, long? TurnId) InboxRow(string databasePath, string messageId)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, turn_id FROM inbox WHERE message_id = $id";
        command.Parameters.AddWithValue("$id", messageId);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    private static long Scalar(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static string Text(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        return connection;
    }
}
