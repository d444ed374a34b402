using System.Diagnostics;
using System.Globalization;

namespace Bot.Benchmarks;

/// <summary>
/// <c>telemetry [--n 200,1000] [load options]</c>: the streaming load scenario at each N twice, metrics and tracing off
/// then on (<see cref="BenchTelemetry"/>), each in a process of its own; prints bot-added latency and CPU per answer
/// side by side. The target: under 5 % more CPU, no latency change beyond noise.
/// </summary>
internal static class TelemetryBench
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(8);

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var clock = Stopwatch.StartNew();
        var table = new MarkdownTable("N", "telemetry", "answered", "latency p50 ms", "latency p99 ms", "CPU ms / answer", "cores", "CPU vs off");
        foreach (var n in options.Loads)
        {
            double? offCpu = null;
            foreach (var telemetry in new[] { "off", "on" })
            {
                Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] N = {n}, telemetry {telemetry} …");
                var run = await ScenarioChild.RunInChildAsync<LoadResult>(
                    ["load", "--mode", nameof(ClientMode.Streaming), "--n", n.ToString(CultureInfo.InvariantCulture), "--telemetry", telemetry,
                        .. options.ScenarioArguments()],
                    s_timeout);
                var cpuPerAnswer = run.Completed == 0 ? double.NaN : run.Resources.CpuSeconds * 1000 / run.Completed;
                offCpu ??= cpuPerAnswer;
                table.Row(n.ToString(CultureInfo.InvariantCulture), telemetry, $"{run.Completed}/{n}", MarkdownTable.Format(run.LatencyMs.P50),
                    MarkdownTable.Format(run.LatencyMs.P99), MarkdownTable.Format(cpuPerAnswer), MarkdownTable.Format(run.Resources.CoresUsed),
                    telemetry == "off" ? "" : $"{MarkdownTable.Format((cpuPerAnswer / offCpu.Value - 1) * 100)} %");
            }
        }

        Console.WriteLine(table.ToString());
        return 0;
    }
}
