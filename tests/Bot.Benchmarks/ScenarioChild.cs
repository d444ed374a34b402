using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Infrastructure;

namespace Bot.Benchmarks;

/// <summary>
/// One scenario in a process of its own, so that each figure of CPU time and peak memory belongs to that
/// scenario alone. The orchestrator starts it and reads the <c>RESULT</c> line it prints.
/// </summary>
internal static class ScenarioChild
{
    public const string ResultPrefix = "RESULT ";

    public static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The child's side: <c>scenario load --mode streaming --n 200 [options]</c>, <c>scenario length [options]</c> or <c>scenario {channel} [options]</c>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        // The bot's process as the host starts it (src/Bot.Host/Program.cs), before the first socket.
        RuntimeTuning.PreferInlineSocketCompletions();
        var mode = ClientMode.Streaming;
        var load = 1;
        var telemetry = false;
        var rest = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--mode" && i + 1 < args.Count)
                mode = Enum.Parse<ClientMode>(args[++i], ignoreCase: true);
            else if (args[i] == "--telemetry" && i + 1 < args.Count)
                telemetry = args[++i] == "on";
            else if (args[i] == "--n" && i + 1 < args.Count)
                load = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else
                rest.Add(args[i]);
        }

        var options = BenchmarkOptions.Parse(rest);
        using var providers = telemetry ? BenchTelemetry.Start() : null;
        object result = args.Count > 0 && ChannelScenarios.Find(args[0]) is { } channel
            ? await channel.RunAsync(options)
            : args.Count > 0 && args[0] == "length"
                ? await LengthScenario.RunAsync(options)
                : await LoadScenario.RunAsync(options, mode, load);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, result.GetType(), Json));
        return 0;
    }

    /// <summary>The orchestrator's side: runs a scenario in a child process and returns its result.</summary>
    public static async Task<T> RunInChildAsync<T>(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = SelfProcess.Start(["scenario", .. arguments]);
        process.StandardInput.Close();
        var json = await SelfProcess.ReadUntilAsync(process, ResultPrefix, timeout);
        await SelfProcess.StopAsync(process, TimeSpan.FromSeconds(30));
        return JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidOperationException("The scenario printed an empty result.");
    }
}
