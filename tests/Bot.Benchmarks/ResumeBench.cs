using System.Diagnostics;
using System.Globalization;

namespace Bot.Benchmarks;

/// <summary>
/// <c>resume [--n 200] [--cut-every 30] [load options] [--out docs/benchmarks.md]</c> (issue 16): the streaming load at
/// each N three times, each in a process of its own: plainly streamed, as background responses (the default), and as
/// background responses whose every stream the fake cuts after <c>--cut-every</c> events (each cut resumed with
/// starting_after). Prints bot-added latency and CPU per answer side by side, whether every answer came out whole,
/// and the extra wait per cut (from the cut to the resumed stream's next event, p50/p99).
/// </summary>
internal static class ResumeBench
{
    public const string Heading = "### Background streaming and resumed cuts";

    private const int DefaultCutEvery = 30;

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(8);

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var cutEvery = options.CutEvery > 0 ? options.CutEvery : DefaultCutEvery;
        var loads = options.CommandLine.Contains("--n", StringComparison.Ordinal) ? options.Loads : [200];
        var clock = Stopwatch.StartNew();
        var table = new MarkdownTable("N", "client", "answered", "whole", "latency p50 ms", "latency p99 ms", "CPU ms / answer", "cores", "CPU vs plain",
            "cuts resumed", "extra wait per cut p50 ms", "p99 ms");
        var whole = true;
        foreach (var n in loads)
        {
            double? plainCpu = null;
            foreach (var mode in new[] { ClientMode.Streaming, ClientMode.Background, ClientMode.BackgroundCut })
            {
                Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] N = {n}, {mode} …");
                var arguments = (options with { CutEvery = mode == ClientMode.BackgroundCut ? cutEvery : 0 }).ScenarioArguments();
                var run = await ScenarioChild.RunInChildAsync<LoadResult>(
                    ["load", "--mode", mode.ToString(), "--n", n.ToString(CultureInfo.InvariantCulture), .. arguments], s_timeout);
                var cpuPerAnswer = run.Completed == 0 ? double.NaN : run.Resources.CpuSeconds * 1000 / run.Completed;
                plainCpu ??= cpuPerAnswer;
                whole &= run.Completed == n && run.WrongText == 0;
                table.Row(n.ToString(CultureInfo.InvariantCulture), Name(mode, cutEvery), $"{run.Completed}/{n}", $"{n - run.WrongText}/{n}",
                    MarkdownTable.Format(run.LatencyMs.P50), MarkdownTable.Format(run.LatencyMs.P99), MarkdownTable.Format(cpuPerAnswer),
                    MarkdownTable.Format(run.Resources.CoresUsed),
                    mode == ClientMode.Streaming ? "" : $"{MarkdownTable.Format((cpuPerAnswer / plainCpu.Value - 1) * 100)} %",
                    run.ResumeGapMs is { } gaps ? gaps.Count.ToString(CultureInfo.InvariantCulture) : "",
                    run.ResumeGapMs is { } p50 ? MarkdownTable.Format(p50.P50) : "",
                    run.ResumeGapMs is { } p99 ? MarkdownTable.Format(p99.P99) : "");
            }
        }

        var section = Heading + "\n\n" +
            $"`dotnet run -c Release --project tests/Bot.Benchmarks -- resume --n {string.Join(',', loads)} --cut-every {cutEvery} --out docs/benchmarks.md`: " +
            "the streaming load (Responses backend against the OpenAI fake, every answer streamed into a web-chat-like channel) at each N " +
            "three times, each run in a process of its own: plainly streamed (`OpenAI:Background` false), as background responses " +
            $"(`background: true`, the default), and as background responses whose every stream the fake cuts after {cutEvery} events, " +
            "each cut resumed with `GET /responses/{id}?stream=true&starting_after=N`. \"whole\" counts answers whose final text is exactly " +
            "the fake's; the extra wait per cut is measured by the fake, from the cut until the resumed stream sent its next event.\n\n" + table;
        Console.WriteLine(section);
        if (options.OutPath is { } path)
            await DocsSection.WriteAsync(path, Heading, section);
        return whole ? 0 : 1;
    }

    private static string Name(ClientMode mode, int cutEvery) => mode switch
    {
        ClientMode.Streaming => "plain streaming",
        ClientMode.Background => "background",
        _ => $"background, cut every {cutEvery} events",
    };
}
