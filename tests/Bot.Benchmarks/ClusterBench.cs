using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Testing.Postgres;

namespace Bot.Benchmarks;

/// <summary>
/// Several bot instances on one PostgreSQL (<c>cluster</c> verb): conversations each send a few messages, every message
/// to an instance chosen at random (no sticky routing), the next one only once the previous was stored, after a random
/// pause; the instances (<see cref="ClusterNode"/> child processes) answer through the OpenAI fake (another child). Run
/// three times on a fresh database: one instance, two instances, and two with one killed (SIGKILL) when half of the
/// messages are in; then the sender goes on with the survivor, as a load balancer would.
/// </summary>
internal static partial class ClusterBench
{
    public const string Heading = "### Several instances: conversations leased over processes on one PostgreSQL";

    /// <summary><c>cluster [--conversations 1000] [--messages 3] [--spread-ms 15000] [--tokens 30] [--lease-timeout-ms 15000] [--write docs/benchmarks.md]</c></summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var settings = new ClusterSettings(Option(args, "--conversations", 1000), Option(args, "--messages", 3), Option(args, "--spread-ms", 15_000),
            Option(args, "--tokens", 30), TimeSpan.FromMilliseconds(Option(args, "--lease-timeout-ms", 15_000)));
        var write = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();

        var postgres = await ThrowawayPostgres.StartAsync(Console.Error.WriteLine);
        var results = new List<ClusterRun>();
        try
        {
            foreach (var (instances, kill) in new[] { (1, false), (2, false), (2, true) })
            {
                // A fresh fake per run: its record of first deltas is the run's alone.
                await using var fake = await FakeProcess.StartAsync(BenchmarkOptions.Parse(["--tokens", Str(settings.Tokens)]));
                var database = postgres.ConnectionString(await postgres.CreateDatabaseAsync());
                Console.Error.WriteLine($"  cluster: {instances} instance(s){(kill ? ", one killed at 50 %" : "")} …");
                results.Add(await RunOnceAsync(settings, database, fake, instances, kill));
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
        }
        finally
        {
            postgres.Stop();
        }

        var section = Section(settings, results);
        Console.WriteLine(section);
        if (write is not null)
            await DocsSection.WriteAsync(write, Heading, section);
        return 0;
    }

    private static async Task<ClusterRun> RunOnceAsync(ClusterSettings settings, string database, FakeProcess fake, int instances, bool kill)
    {
        var nodes = new List<ClusterNodeProcess>();
        for (var i = 0; i < instances; i++)
            nodes.Add(await ClusterNodeProcess.StartAsync(((char)('A' + i)).ToString(), database, fake.BaseUri, settings.LeaseTimeout, settings.Tokens));
        try
        {
            var total = settings.Conversations * settings.Messages;
            var stored = 0;
            var killed = new TaskCompletionSource<KillMark>(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task SendAsync(int conversation)
            {
                var random = new Random(conversation);
                var key = "c" + Str(conversation);
                for (var k = 1; k <= settings.Messages; k++)
                {
                    await Task.Delay(random.Next(settings.SpreadMs / settings.Messages));
                    var messageId = $"{key}-m{Str(k)}";

                    // An instance that died before it answered gets the message again from the "platform", on another instance.
                    while (!await PickAlive(nodes, random).AcceptAsync(key, messageId))
                        await Task.Delay(50);
                    if (Interlocked.Increment(ref stored) == total / 2 && kill)
                        killed.TrySetResult(await KillAsync(nodes[^1], database));
                }
            }

            var sent = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, settings.Conversations).Select(SendAsync));
            var settled = await ClusterChecks.WaitUntilSettledAsync(database, TimeSpan.FromMinutes(10));
            var takeover = kill ? await (await killed.Task).Settled : null;
            Console.Error.WriteLine($"    all {total} messages settled {sent.Elapsed.TotalSeconds:F1} s after the first was sent");

            var finals = new List<NodeFinal>();
            foreach (var node in nodes.Where(n => n.Alive))
                finals.AddRange(await node.ReportAsync());
            var deltas = await fake.FirstDeltasAsync();
            var store = await ClusterChecks.ReadAsync(database);
            return Summarize(instances, kill, total, settled, takeover, finals, deltas, store);
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }

    private static ClusterNodeProcess PickAlive(List<ClusterNodeProcess> nodes, Random random)
    {
        var alive = nodes.Where(n => n.Alive).ToList();
        return alive.Count == 0 ? throw new InvalidOperationException("Every instance died.") : alive[random.Next(alive.Count)];
    }

    private static async Task<KillMark> KillAsync(ClusterNodeProcess node, string database)
    {
        // What the instance holds at the moment it dies: these conversations wait for the lease to expire.
        var held = await ClusterChecks.LeasedByAsync(database, node.Id);
        var at = DateTimeOffset.UtcNow;
        node.Kill();
        Console.Error.WriteLine($"    killed instance {node.Id} holding {held.Count} conversations");
        return new KillMark(at, held, ClusterChecks.SettledAfterKillAsync(database, held, at, TimeSpan.FromMinutes(5)));
    }

    private static ClusterRun Summarize(int instances, bool kill, int total, bool settled, TimeSpan? takeover, IReadOnlyList<NodeFinal> finals,
        Dictionary<string, DateTimeOffset> deltas, StoreFacts store)
    {
        // Each response the fake streamed, by every message it carried (coalesced turns carry several).
        var firstDeltaByMessage = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var responsesPerMessage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (question, at) in deltas)
        {
            foreach (Match match in MessageToken().Matches(question))
            {
                firstDeltaByMessage[match.Groups[1].Value] = at;
                responsesPerMessage[match.Groups[1].Value] = responsesPerMessage.GetValueOrDefault(match.Groups[1].Value) + 1;
            }
        }

        var latencies = new List<double>();
        foreach (var final in finals.Where(f => f.IsAnswer))
        {
            var messageId = final.ReplyAddress[(final.ReplyAddress.IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (firstDeltaByMessage.TryGetValue(messageId, out var firstDelta))
                latencies.Add((final.FirstPost - firstDelta).TotalMilliseconds);
        }

        var duplicated = responsesPerMessage.Count(p => p.Value > 1) + finals.GroupBy(f => f.ReplyAddress).Count(g => g.Count() > 1);
        return new ClusterRun(instances, kill, total, settled, store.Answered, store.InInterruptedTurns,
            total - store.Answered - store.InInterruptedTurns, duplicated, store.ConcurrentTurns, store.OutOfOrder, finals.Count(f => f.Kind == "notice"), finals.Count(f => f.Kind == "wrong"),
            Distribution.Of(latencies), takeover);
    }

    private static string Section(ClusterSettings settings, IReadOnlyList<ClusterRun> runs)
    {
        var table = new MarkdownTable("instances", "messages", "answered", "in interrupted turns (told once)", "lost", "duplicated",
            "concurrent responses", "out of order", "notices", "wrong text", "bot-added latency p50 (ms)", "p99 (ms)", "kill → dead instance's conversations settled (s)");
        foreach (var run in runs)
        {
            table.Row(run.Kill ? $"{run.Instances}, one killed at 50 %" : Str(run.Instances), run.Messages, run.Answered, run.InInterruptedTurns,
                run.Settled ? Str(run.Lost) : $"{run.Lost} (not settled)", run.Duplicated, run.ConcurrentTurns, run.OutOfOrder, run.Notices, run.WrongText,
                run.Latency.P50, run.Latency.P99, run.Takeover is { } t ? Math.Round(t.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture) : "–");
        }

        return $"{Heading}\n\n" +
               "`dotnet run -c Release --project tests/Bot.Benchmarks -- cluster --write docs/benchmarks.md`: " +
               $"{settings.Conversations:N0} conversations × {settings.Messages} messages; each message goes to an instance chosen at random, " +
               $"the next of its conversation only after the previous was stored, after a random pause (0–{settings.SpreadMs / settings.Messages} ms). " +
               $"Instances are `Bot.Host`-like child processes (core, lanes, leases with Cluster:LeaseTimeout = {settings.LeaseTimeout.TotalSeconds:0} s, " +
               "poll 1 s, the Responses backend with background responses, the default, a pool of 20 connections each) on one throwaway PostgreSQL; the OpenAI fake (a process of its own) streams " +
               $"{settings.Tokens} deltas at 20 ms. Lost, duplicated, concurrent and order are read from the database (turn times, inbox rows) " +
               "and the fake (responses per message); bot-added latency is the reply's first post minus the fake's first delta, as in the " +
               "single-process rows above. In the kill run the last instance gets SIGKILL when half of the messages are stored; the survivor " +
               "takes its conversations over once their leases expire, finishes the turns it was running from their stored background " +
               "responses (into the same reply messages), and answers the messages it had stored; a turn that could not be resumed would " +
               "be closed and its user told once (\"in interrupted turns\", counted apart from lost).\n\n" +
               table + "\n";
    }

    [GeneratedRegex(@"\[(c\d+-m\d+)\]")]
    private static partial Regex MessageToken();

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record ClusterSettings(int Conversations, int Messages, int SpreadMs, int Tokens, TimeSpan LeaseTimeout);

    private sealed record ClusterRun(int Instances, bool Kill, int Messages, bool Settled, int Answered, int InInterruptedTurns, int Lost,
        int Duplicated, int ConcurrentTurns, int OutOfOrder, int Notices, int WrongText, Distribution Latency, TimeSpan? Takeover);
}

/// <summary>When an instance was killed, which conversations it held then, and how long until they had all been dealt with.</summary>
internal sealed record KillMark(DateTimeOffset At, IReadOnlyList<string> Conversations, Task<TimeSpan?> Settled);
