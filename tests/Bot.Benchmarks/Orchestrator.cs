using System.Diagnostics;
using System.Globalization;

namespace Bot.Benchmarks;

/// <summary>Runs every scenario in a child process of its own, then prints and writes the report.</summary>
internal static class Orchestrator
{
    private static readonly TimeSpan s_scenarioTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Runs of one scenario at most, while other processes keep disturbing it (the cleanest run is kept).</summary>
    private const int MaxAttempts = 3;

    /// <summary>
    /// True when the rest of the machine stayed quiet during the run: other processes used less than a tenth of a
    /// core on average (an undisturbed run shows a few hundredths of a second of loopback and kernel work). Without
    /// <c>/proc/stat</c> the figure is NaN and every run counts as clean.
    /// </summary>
    public static bool IsClean(LoadResult result) => !(result.Resources.OtherCpuSeconds > 0.1 * result.Resources.WallSeconds);

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loads = new List<LoadResult>();
        var modes = options.Modes().ToList();
        foreach (var n in options.Loads)
        {
            foreach (var mode in modes)
            {
                Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {mode} client, N = {n} …");
                LoadResult? result = null;
                for (var attempt = 1; attempt <= MaxAttempts && (result is null || !IsClean(result)); attempt++)
                {
                    var run = await ScenarioChild.RunInChildAsync<LoadResult>(
                        ["load", "--mode", mode.ToString(), "--n", n.ToString(CultureInfo.InvariantCulture), .. options.ScenarioArguments()],
                        s_scenarioTimeout);
                    Console.Error.WriteLine($"    answered {run.Completed}/{n}, latency p50 {MarkdownTable.Format(run.LatencyMs.P50)} ms " +
                        $"p99 {MarkdownTable.Format(run.LatencyMs.P99)} ms, cores {MarkdownTable.Format(run.Resources.CoresUsed)}, " +
                        $"peak {MarkdownTable.Format(run.Resources.PeakWorkingSetMb)} MB, wall {MarkdownTable.Format(run.Resources.WallSeconds)} s, " +
                        $"others' CPU {MarkdownTable.Format(run.Resources.OtherCpuSeconds)} s");
                    if (!IsClean(run))
                        Console.Error.WriteLine("    other processes used the machine during this run: its figures are not clean" +
                            (attempt < MaxAttempts ? "; running it again" : ""));
                    if (result is null || IsClean(run) || run.Resources.OtherCpuSeconds < result.Resources.OtherCpuSeconds)
                        result = run;
                }

                loads.Add(result!);
            }
        }

        LengthResult? length = null;
        if (!options.SkipLength)
        {
            Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] conversation length, {options.Turns} turns …");
            length = await ScenarioChild.RunInChildAsync<LengthResult>(["length", .. options.ScenarioArguments()], s_scenarioTimeout);
        }

        var channels = new List<string>();
        foreach (var scenario in options.SelectedChannels())
        {
            Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] channel scenario {scenario.Name} …");
            var result = await ScenarioChild.RunInChildAsync<System.Text.Json.JsonElement>([scenario.Name, .. options.ScenarioArguments()], s_scenarioTimeout);
            channels.Add(scenario.Section(result));
        }

        var report = new Report(options, loads, length, started, clock.Elapsed) { ChannelSections = channels };
        Console.WriteLine(report.Results());
        Console.WriteLine(report.Targets());
        foreach (var section in channels)
            Console.WriteLine(section);
        if (options.OutPath is { } path)
        {
            await report.WriteAsync(path);
            Console.Error.WriteLine($"Wrote {Path.GetFullPath(path)}");
        }

        return loads.All(l => l.Completed == l.Conversations && l.WrongText == 0) ? 0 : 1;
    }
}
