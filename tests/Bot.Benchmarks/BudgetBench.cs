using System.Diagnostics;
using System.Globalization;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Bot.Testing.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Benchmarks;

/// <summary>
/// The cost the budgets add to a turn: the check before it (the place's settings, then ledger reads of the user's, the
/// team's and the tenant's day and month) and the record after it (the upserts of the user's, every place's and the
/// place users' rows in one transaction), against a SQLite ledger of <c>users × days</c> user rows and
/// <c>places × days</c> place rows. Runs on its own (<c>budget</c> verb), in this process, and can put its section into
/// docs/benchmarks.md above the hand-written analysis.
/// </summary>
internal static class BudgetBench
{
    public const string Heading = "### Budget check per turn";

    /// <summary><c>budget [--users 10000] [--days 30] [--places 100] [--checks 10000] [--write docs/benchmarks.md]</c></summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var users = Option(args, "--users", 10_000);
        var days = Option(args, "--days", 30);
        var checks = Option(args, "--checks", 10_000);
        var places = Math.Max(1, Option(args, "--places", Math.Max(1, users / 100)));
        var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();

        using var folder = new TempDirectory();
        var path = folder.File("bench.db");
        var today = new DateTimeOffset(2026, 12, 31, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(today);
        await using var store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = path }),
            NullLogger<SqliteConversationStore>.Instance, clock);
        await store.InitializeAsync();
        Seed(path, users, days, places, DateOnly.FromDateTime(today.UtcDateTime));

        // Limits far above what the ledger holds, so every check reads the ledger and lets the turn go ahead.
        var options = new BudgetOptions
        {
            PerUserDailyTokens = long.MaxValue, PerUserMonthlyTokens = long.MaxValue, PerPlaceDailyTokens = long.MaxValue,
            PerPlaceMonthlyTokens = long.MaxValue, PerTenantMonthlyTokens = long.MaxValue, PerUserMessagesPerMinute = 10_000,
        };
        var gate = new BudgetGate(options, store, clock);
        var settings = new PlaceSettings(store, new ConfigurationBuilder().Build(), new ScriptedBackend { Model = "gpt-4.1-mini" }, options, clock);
        var random = new Random(13);
        var checkMs = new List<double>(checks);
        var recordMs = new List<double>(checks);
        for (var i = -checks / 10; i < checks; i++)
        {
            var number = random.Next(users);
            var user = "user" + number.ToString(CultureInfo.InvariantCulture);
            var where = PathOf(number % places);
            var started = Stopwatch.GetTimestamp();
            var effective = await settings.ResolveAsync(where);
            if (await gate.CheckAsync("teams", user, 1, effective) is not null)
                throw new InvalidOperationException("The benchmark's limits should never refuse.");
            var checkedAt = Stopwatch.GetTimestamp();
            await gate.RecordAsync(new ConversationKey("teams", "c" + user), new MessageAuthor(user, "User " + user), where, "gpt-4.1-mini",
                new TokenUsage(500, 200, 100));
            var recordedAt = Stopwatch.GetTimestamp();
            if (i < 0)
                continue; // warm-up
            checkMs.Add(Stopwatch.GetElapsedTime(started, checkedAt).TotalMilliseconds);
            recordMs.Add(Stopwatch.GetElapsedTime(checkedAt, recordedAt).TotalMilliseconds);
        }

        var section = Section(users, days, places, checks, Distribution.Of(checkMs), Distribution.Of(recordMs));
        Console.WriteLine(section);
        if (write is not null)
            await DocsSection.WriteAsync(write, Heading, section);
        return 0;
    }

    private static string Section(int users, int days, int places, int checks, Distribution check, Distribution record)
    {
        var table = new MarkdownTable("measure", "p50 (ms)", "p99 (ms)", "max (ms)", "mean (ms)")
            .Row("budget check before a turn (place settings; user, team and tenant day and month)", check.P50, check.P99, check.Max, check.Mean)
            .Row("usage record after a turn (8 upserts in one transaction)", record.P50, record.P99, record.Max, record.Mean);
        var met = check.P99 < 1 ? "yes" : "**no**";
        return $"{Heading}\n\n" +
               $"`dotnet run -c Release --project tests/Bot.Benchmarks -- budget --write docs/benchmarks.md`: a SQLite ledger of " +
               $"{users:N0} users × {days} days ({users * days:N0} user rows) in {places:N0} Teams channels of as many teams in " +
               $"{(Tenants(places) == 1 ? "1 tenant" : $"{Tenants(places):N0} tenants")} (place rows per level and day, place-user rows per level and month), {checks:N0} turns of " +
               $"random users one after another, per-user daily and monthly, per-place daily and monthly and per-tenant monthly limits " +
               $"set (so every check reads the ledger: the user, the team, the tenant), in one process, times by Stopwatch.\n\n" +
               table + "\n" +
               new MarkdownTable("target", "measured", "met").Row("budget checks add < 1 ms p99 to a turn", $"p99 {MarkdownTable.Format(check.P99)} ms", met) + "\n";
    }

    // Teams-like places: channel p of team p, ten teams to a tenant, so the tenant limit is a read of its own.
    private static PlacePath PathOf(int place) => PlacePath.Of(
        new Place("teams:tenant" + (place / 10).ToString(CultureInfo.InvariantCulture), PlaceKind.Tenant),
        new Place("teams:team" + place.ToString(CultureInfo.InvariantCulture), PlaceKind.Team),
        new Place("teams:channel" + place.ToString(CultureInfo.InvariantCulture), PlaceKind.Channel));

    private static int Tenants(int places) => (places + 9) / 10;

    private static void Seed(string path, int users, int days, int places, DateOnly today)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var userRows = Insert(connection, transaction,
            "INSERT INTO usage_ledger (channel, user_id, day, model, place_id, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
            "VALUES ('teams', $user, $day, 'gpt-4.1-mini', $place, 3, 1500, 600, 300, 0);", "$user", "$day", "$place");
        using var placeRows = Insert(connection, transaction,
            "INSERT INTO place_usage (place_id, day, model, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
            "VALUES ($place, $day, 'gpt-4.1-mini', 30, 15000, 6000, 3000, 0) ON CONFLICT DO NOTHING;", "$place", "$day");
        using var placeUserRows = Insert(connection, transaction,
            "INSERT INTO place_user_usage (place_id, month, channel, user_id, model, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
            "VALUES ($place, $month, 'teams', $user, 'gpt-4.1-mini', 3, 1500, 600, 300, 0) ON CONFLICT DO NOTHING;", "$place", "$month", "$user");
        using var names = Insert(connection, transaction,
            "INSERT INTO usage_users (channel, user_id, display_name, updated_at_ms) VALUES ('teams', $user, $user, 0);", "$user");
        for (var u = 0; u < users; u++)
        {
            var user = "user" + u.ToString(CultureInfo.InvariantCulture);
            var placePath = PathOf(u % places);
            Run(names, user);
            for (var d = 0; d < days; d++)
            {
                var day = today.AddDays(-d);
                Run(userRows, user, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), placePath.Nearest.Id);
                foreach (var place in placePath.Ids)
                    Run(placeUserRows, place, day.ToString("yyyy-MM", CultureInfo.InvariantCulture), user);
            }
        }

        for (var p = 0; p < places; p++)
        {
            for (var d = 0; d < days; d++)
            {
                foreach (var place in PathOf(p).Ids)
                    Run(placeRows, place, today.AddDays(-d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        transaction.Commit();
    }

    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var parameter in parameters)
            command.Parameters.Add(parameter, SqliteType.Text);
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }
}
