using System.Diagnostics;
using System.Globalization;
using Bot.Testing.OpenAI;

namespace Bot.Benchmarks;

/// <summary>
/// The OpenAI fake in its own process, so that the bot process's CPU time and memory are the bot's alone.
/// The child prints <c>port N</c> when it listens and then obeys lines on stdin: <c>deltas</c> lists when each
/// response's (or run's) first text delta left the fake (<c>delta\t{user text}\t{UTC ticks}</c> lines, then <c>end</c>),
/// <c>gaps</c> lists, per cut stream resumed, the time from the cut to the resumed stream's next event
/// (<c>gap\t{ms}</c> lines, then <c>end</c>), <c>quit</c> (or the end of stdin) stops it.
/// </summary>
internal sealed class FakeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private FakeProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    /// <summary>The fake's `/v1/` endpoint.</summary>
    public Uri BaseUri { get; }

    /// <summary>CPU time the fake process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the child and waits until it listens.</summary>
    public static async Task<FakeProcess> StartAsync(BenchmarkOptions options)
    {
        var process = SelfProcess.Start(["fake", "--port", "0", .. options.ScenarioArguments()]);
        var port = int.Parse(await SelfProcess.ReadUntilAsync(process, "port ", TimeSpan.FromSeconds(30)), CultureInfo.InvariantCulture);
        return new FakeProcess(process, new Uri($"http://127.0.0.1:{port}/v1/"));
    }

    /// <summary>When the first text delta of each response left the fake, by the question (user text) it answered.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> FirstDeltasAsync()
    {
        await _process.StandardInput.WriteLineAsync("deltas");
        await _process.StandardInput.FlushAsync();
        var deltas = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await _process.StandardOutput.ReadLineAsync() is { } line && line != "end")
        {
            var fields = line.Split('\t');
            if (fields is ["delta", var question, var ticks])
                deltas[question] = new DateTimeOffset(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero);
        }

        return deltas;
    }

    /// <summary>Per cut stream resumed so far, milliseconds from the cut to the resumed stream's next event.</summary>
    public async Task<List<double>> ResumeGapsAsync()
    {
        await _process.StandardInput.WriteLineAsync("gaps");
        await _process.StandardInput.FlushAsync();
        var gaps = new List<double>();
        while (await _process.StandardOutput.ReadLineAsync() is { } line && line != "end")
        {
            if (line.Split('\t') is ["gap", var ms])
                gaps.Add(double.Parse(ms, CultureInfo.InvariantCulture));
        }

        return gaps;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            // Already gone.
        }

        await SelfProcess.StopAsync(_process, TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    /// <summary>The child's side: serves the fake until told to quit.</summary>
    public static async Task<int> ServeAsync(IReadOnlyList<string> args)
    {
        var port = 0;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--port" && i + 1 < args.Count)
                port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else
                rest.Add(args[i]);
        }

        var options = BenchmarkOptions.Parse(rest);
        var longAnswer = Answers.Long(options.Tokens);
        var interval = TimeSpan.FromMilliseconds(options.TokenIntervalMs);

        // Warm-up answers are paced too (but faster), so that the client's paths for data that is not there yet run.
        var warmUpInterval = TimeSpan.FromMilliseconds(Math.Min(options.TokenIntervalMs, Answers.WarmUpTokenIntervalMs));
        await using var server = await FakeOpenAIServer.StartAsync(port);
        server.CutStreamsEvery = options.CutEvery;
        server.Responder = request =>
            request.UserText.StartsWith(Answers.LoadPrefix, StringComparison.Ordinal) ? FakeResponse.Stream().TokenInterval(interval).Text(longAnswer)
            : request.UserText.StartsWith(Answers.WarmUpPrefix, StringComparison.Ordinal) ? FakeResponse.Stream().TokenInterval(warmUpInterval).Text(longAnswer)
            : FakeResponse.Stream().TokenInterval(TimeSpan.Zero).Text(Answers.Short);
        Console.WriteLine($"port {server.BaseUri.Port}");

        while (await Console.In.ReadLineAsync() is { } command && command != "quit")
        {
            if (command == "deltas")
            {
                foreach (var request in server.ResponseRequests.Concat(server.RunRequests))
                {
                    if (request.FirstTextDeltaAt is { } at)
                        Console.WriteLine($"delta\t{request.UserText.ReplaceLineEndings(" ")}\t{at.UtcTicks.ToString(CultureInfo.InvariantCulture)}");
                }

                Console.WriteLine("end");
            }
            else if (command == "gaps")
            {
                foreach (var gap in server.ResumeGaps)
                    Console.WriteLine($"gap\t{gap.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}");
                Console.WriteLine("end");
            }
        }

        return 0;
    }
}
