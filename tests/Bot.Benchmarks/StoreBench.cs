using System.Diagnostics;
using System.Globalization;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Storage.Postgres;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Bot.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Benchmarks;

/// <summary>
/// The stores alone, SQLite and PostgreSQL in one run: how many messages per second the inbox accepts (dedup included)
/// from a few concurrent writers over many conversations, and how long a mapping lookup takes. Runs on its own
/// (<c>store</c> verb), in this process; PostgreSQL is a throwaway cluster like the tests'.
/// </summary>
internal static class StoreBench
{
    public const string Heading = "### Stores: accepted messages and mapping lookups";

    private static readonly DateTimeOffset s_now = new(2026, 12, 31, 12, 0, 0, TimeSpan.Zero);

    /// <summary><c>store [--messages 20000] [--conversations 1000] [--writers 4] [--lookups 10000] [--write docs/benchmarks.md]</c></summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var settings = new Settings(Option(args, "--messages", 20_000), Option(args, "--conversations", 1_000), Option(args, "--writers", 4),
            Option(args, "--lookups", 10_000));
        var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();

        Result sqlite;
        using (var folder = new TempDirectory())
        {
            await using var store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = folder.File("bench.db") }),
                NullLogger<SqliteConversationStore>.Instance, TimeProvider.System);
            sqlite = await MeasureAsync("SQLite", store, settings);
        }

        Result postgres;
        var cluster = await ThrowawayPostgres.StartAsync(Console.Error.WriteLine);
        try
        {
            var database = await cluster.CreateDatabaseAsync();
            await using var store = new PostgresConversationStore(
                Options.Create(new PostgresStoreOptions { ConnectionString = cluster.ConnectionString(database) }),
                NullLogger<PostgresConversationStore>.Instance, TimeProvider.System);
            postgres = await MeasureAsync("PostgreSQL", store, settings);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            cluster.Stop();
        }

        var section = Section(settings, sqlite, postgres);
        Console.WriteLine(section);
        if (write is not null)
            await DocsSection.WriteAsync(write, Heading, section);
        return 0;
    }

    private static async Task<Result> MeasureAsync<TStore>(string name, TStore store, Settings settings)
        where TStore : IConversationStore
    {
        await store.InitializeAsync();

        // Every tenth message arrives twice (a platform redelivery): the second accept must be refused.
        var perWriter = settings.Messages / settings.Writers;
        var started = Stopwatch.GetTimestamp();
        var writers = Enumerable.Range(0, settings.Writers).Select(w => Task.Run(async () =>
        {
            var (accepted, refused) = (0, 0);
            for (var i = 0; i < perWriter; i++)
            {
                var n = w * perWriter + i;
                var message = Message(n, settings.Conversations);
                if (await store.TryAcceptAsync(message, s_now) is not null)
                    accepted++;
                if (n % 10 == 0 && await store.TryAcceptAsync(message, s_now) is null)
                    refused++;
            }

            return (accepted, refused);
        })).ToArray();
        var counts = await Task.WhenAll(writers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var accepted = counts.Sum(c => c.accepted);
        var refused = counts.Sum(c => c.refused);
        if (accepted != perWriter * settings.Writers || refused != Enumerable.Range(0, perWriter * settings.Writers).Count(n => n % 10 == 0))
            throw new InvalidOperationException($"{name}: {accepted} accepted and {refused} duplicates refused, which is wrong.");

        for (var c = 0; c < settings.Conversations; c++)
            await store.GetOrCreateConversationAsync(Key(c), "Responses", s_now);
        var random = new Random(17);
        var lookups = new List<double>(settings.Lookups);
        for (var i = -settings.Lookups / 10; i < settings.Lookups; i++)
        {
            var key = Key(random.Next(settings.Conversations));
            var lookupStarted = Stopwatch.GetTimestamp();
            if (await store.FindConversationAsync(key) is null)
                throw new InvalidOperationException($"{name}: the mapping of {key} is missing.");
            if (i >= 0)
                lookups.Add(Stopwatch.GetElapsedTime(lookupStarted).TotalMilliseconds);
        }

        return new Result(name, accepted / elapsed.TotalSeconds, refused, Distribution.Of(lookups));
    }

    private static string Section(Settings settings, Result sqlite, Result postgres)
    {
        var table = new MarkdownTable("store", "accepted messages/s", "duplicates refused", "lookup p50 (ms)", "lookup p99 (ms)", "lookup max (ms)");
        foreach (var result in new[] { sqlite, postgres })
            table.Row(result.Store, Math.Round(result.AcceptedPerSecond), result.Refused, result.Lookup.P50, result.Lookup.P99, result.Lookup.Max);
        var targets = new MarkdownTable("target", "measured", "met")
            .Row("SQLite ≥ 5,000 accepted/s", $"{sqlite.AcceptedPerSecond:N0}/s", Met(sqlite.AcceptedPerSecond >= 5_000))
            .Row("SQLite lookup p99 < 1 ms", $"{MarkdownTable.Format(sqlite.Lookup.P99)} ms", Met(sqlite.Lookup.P99 < 1))
            .Row("PostgreSQL ≥ 2,000 accepted/s", $"{postgres.AcceptedPerSecond:N0}/s", Met(postgres.AcceptedPerSecond >= 2_000))
            .Row("PostgreSQL lookup p99 < 2 ms", $"{MarkdownTable.Format(postgres.Lookup.P99)} ms", Met(postgres.Lookup.P99 < 2));
        return $"{Heading}\n\n" +
               "`dotnet run -c Release --project tests/Bot.Benchmarks -- store --write docs/benchmarks.md`: " +
               $"{settings.Messages:N0} messages over {settings.Conversations:N0} conversations accepted by {settings.Writers} concurrent writers " +
               "(every tenth delivered twice, the duplicate refused by the unique key), then " +
               $"{settings.Lookups:N0} lookups of random mappings one after another; SQLite in a temp file (WAL, synchronous=NORMAL), " +
               "PostgreSQL a throwaway local cluster over TCP on 127.0.0.1 (fsync off: the store and the driver, not the disk), " +
               "both in this process, times by Stopwatch.\n\n" +
               table + "\n" + targets + "\n";
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static ConversationKey Key(int conversation) => new("discord", "c" + conversation.ToString(CultureInfo.InvariantCulture));

    private static IncomingMessage Message(int n, int conversations)
    {
        var id = n.ToString(CultureInfo.InvariantCulture);
        return new IncomingMessage(Key(n % conversations), "m" + id, new MessageAuthor("u" + id, "User " + id), "message " + id, [], s_now,
            "{\"channel\":\"c\"}", false);
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }

    private sealed record Settings(int Messages, int Conversations, int Writers, int Lookups);

    private sealed record Result(string Store, double AcceptedPerSecond, int Refused, Distribution Lookup);
}
