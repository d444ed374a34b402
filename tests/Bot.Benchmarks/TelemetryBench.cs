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
    public const string Heading = "### Telemetry on and off";

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

        var section = Heading + "\n\n" +
            $"`dotnet run -c Release --project tests/Bot.Benchmarks -- telemetry --n {string.Join(',', options.Loads)} --out docs/benchmarks.md`: " +
            "the streaming load (Responses backend against the OpenAI fake, every answer streamed into a web-chat-like channel) at " +
            "each N twice, each run in a process of its own: metrics and tracing off (no meter or tracer provider), then on " +
            "(every `Bot.*` meter and span source and HttpClient spans, aggregated and batch-exported as with OTLP, to an exporter that drops them). " +
            "Target: under 5 % more CPU per answer, no latency change beyond noise.\n\n" + table;
        Console.WriteLine(section);
        if (options.OutPath is { } path)
            await DocsSection.WriteAsync(path, Heading, section);
        return 0;
    }
}
