using System.Diagnostics;
using System.Globalization;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Benchmarks;

/// <summary>
/// The cost the budgets add to a turn: the check before it (a ledger read of the user's day and month) and the record
/// after it (one upsert), against a SQLite ledger of <c>users × days</c> rows. Runs on its own (<c>budget</c> verb),
/// in this process, and can put its section into docs/benchmarks.md above the hand-written analysis.
/// </summary>
internal static class BudgetBench
{
    public const string Heading = "### Budget check per turn";

    /// <summary><c>budget [--users 10000] [--days 30] [--checks 10000] [--write docs/benchmarks.md]</c></summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var users = Option(args, "--users", 10_000);
        var days = Option(args, "--days", 30);
        var checks = Option(args, "--checks", 10_000);
        var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();

        using var folder = new TempDirectory();
        var path = folder.File("bench.db");
        var today = new DateTimeOffset(2026, 12, 31, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(today);
        await using var store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = path }),
            NullLogger<SqliteConversationStore>.Instance, clock);
        await store.InitializeAsync();
        Seed(path, users, days, DateOnly.FromDateTime(today.UtcDateTime));

        // Limits far above what the ledger holds, so every check reads the ledger and lets the turn go ahead.
        var gate = new BudgetGate(new BudgetOptions { PerUserDailyTokens = long.MaxValue, PerUserMonthlyTokens = long.MaxValue, PerUserMessagesPerMinute = 10_000 },
            store, clock);
        var random = new Random(13);
        var checkMs = new List<double>(checks);
        var recordMs = new List<double>(checks);
        for (var i = -checks / 10; i < checks; i++)
        {
            var user = "user" + random.Next(users).ToString(CultureInfo.InvariantCulture);
            var started = Stopwatch.GetTimestamp();
            if (await gate.CheckAsync("discord", user, 1) is not null)
                throw new InvalidOperationException("The benchmark's limits should never refuse.");
            var checkedAt = Stopwatch.GetTimestamp();
            await gate.RecordAsync(new ConversationKey("discord", "c" + user), user, "gpt-4.1-mini", new TokenUsage(500, 200));
            var recordedAt = Stopwatch.GetTimestamp();
            if (i < 0)
                continue; // warm-up
            checkMs.Add(Stopwatch.GetElapsedTime(started, checkedAt).TotalMilliseconds);
            recordMs.Add(Stopwatch.GetElapsedTime(checkedAt, recordedAt).TotalMilliseconds);
        }

        var section = Section(users, days, checks, Distribution.Of(checkMs), Distribution.Of(recordMs));
        Console.WriteLine(section);
        if (write is not null)
            await DocsSection.WriteAsync(write, Heading, section);
        return 0;
    }

    private static string Section(int users, int days, int checks, Distribution check, Distribution record)
    {
        var table = new MarkdownTable("measure", "p50 (ms)", "p99 (ms)", "max (ms)", "mean (ms)")
            .Row("budget check before a turn (ledger read of the day and month)", check.P50, check.P99, check.Max, check.Mean)
            .Row("usage record after a turn (one upsert)", record.P50, record.P99, record.Max, record.Mean);
        var met = check.P99 < 1 ? "yes" : "**no**";
        return $"{Heading}\n\n" +
               $"`dotnet run -c Release --project tests/Bot.Benchmarks -- budget --write docs/benchmarks.md`: a SQLite ledger of " +
               $"{users:N0} users × {days} days ({users * days:N0} rows), {checks:N0} turns of random users one after another, daily and " +
               $"monthly limits set (so every check reads the ledger), in one process, times by Stopwatch.\n\n" +
               table + "\n" +
               new MarkdownTable("target", "measured", "met").Row("budget checks add < 1 ms p99 to a turn", $"p99 {MarkdownTable.Format(check.P99)} ms", met) + "\n";
    }

    private static void Seed(string path, int users, int days, DateOnly today)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO usage_ledger (channel, user_id, day, model, place_id, turns, input_tokens, output_tokens, updated_at_ms) " +
                              "VALUES ('discord', $user, $day, 'gpt-4.1-mini', $place, 3, 1500, 600, 0);";
        var user = command.Parameters.Add("$user", SqliteType.Text);
        var day = command.Parameters.Add("$day", SqliteType.Text);
        var place = command.Parameters.Add("$place", SqliteType.Text);
        command.Prepare();
        for (var u = 0; u < users; u++)
        {
            user.Value = "user" + u.ToString(CultureInfo.InvariantCulture);
            place.Value = "discord:cuser" + u.ToString(CultureInfo.InvariantCulture);
            for (var d = 0; d < days; d++)
            {
                day.Value = today.AddDays(-d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                command.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }
}
