using System.Globalization;

namespace Bot.Benchmarks;

/// <summary>The benchmark's command line: which loads to run and how the fake answers.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Concurrent conversations per run (<c>--n 1,50,200,1000</c>).</summary>
    public IReadOnlyList<int> Loads { get; init; } = [1, 50, 200, 1000];

    /// <summary>Pause between two text deltas of the fake (<c>--token-interval-ms</c>, default 20 = 50 tokens/s).</summary>
    public int TokenIntervalMs { get; init; } = 20;

    /// <summary>Tokens (deltas) in the fixed answer (<c>--tokens</c>).</summary>
    public int Tokens { get; init; } = 120;

    /// <summary>The channel's MinEditInterval (<c>--edit-interval-ms</c>, default 1000 as on Discord).</summary>
    public int EditIntervalMs { get; init; } = 1000;

    /// <summary>The bot's backends to load (<c>--backend responses,assistants</c>; default both).</summary>
    public IReadOnlyList<string> Backends { get; init; } = ["responses", "assistants"];

    /// <summary>Skip the polling baseline (<c>--skip-baseline</c>).</summary>
    public bool SkipBaseline { get; init; }

    /// <summary>Skip the 100-turn conversation-length check (<c>--skip-length</c>).</summary>
    public bool SkipLength { get; init; }

    /// <summary>Turns of the conversation-length check (<c>--turns</c>).</summary>
    public int Turns { get; init; } = 100;

    /// <summary>Sample allocations by type during each measured load (<c>--allocations</c>; costs a little CPU).</summary>
    public bool SampleAllocations { get; init; }

    /// <summary>Channel scenarios to run (<c>--channels discord,teams</c>; default all; <c>--channels none</c> skips them).</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>The fake cuts every background stream after this many events (<c>--cut-every</c>; 0 = never, the default).</summary>
    public int CutEvery { get; init; }

    /// <summary>Where the Markdown report goes (<c>--out</c>); null prints only.</summary>
    public string? OutPath { get; init; }

    /// <summary>The arguments as given, for the report's "command" line.</summary>
    public string CommandLine { get; init; } = "";

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions { CommandLine = string.Join(' ', args) };
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--n" => options with { Loads = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Int)] },
                "--token-interval-ms" => options with { TokenIntervalMs = Int(Value()) },
                "--tokens" => options with { Tokens = Int(Value()) },
                "--edit-interval-ms" => options with { EditIntervalMs = Int(Value()) },
                "--skip-baseline" => options with { SkipBaseline = true },
                "--skip-length" => options with { SkipLength = true },
                "--allocations" => options with { SampleAllocations = true },
                "--turns" => options with { Turns = Int(Value()) },
                "--out" => options with { OutPath = Value() },
                "--cut-every" => options with { CutEvery = Int(Value()) },
                "--backend" => options with { Backends = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Backend)] },
                "--channels" => options with { Channels = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries)] },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --n 1,50,200,1000 --token-interval-ms 20 " +
                    "--tokens 120 --edit-interval-ms 1000 --backend responses,assistants --skip-baseline --skip-length --turns 100 --allocations --channels discord,teams|none --cut-every 30 " +
                    "--out docs/benchmarks.md"),
            };
        }

        return options;
    }

    /// <summary>The client modes of the load runs: each selected backend, streaming, then the polling baseline unless skipped.</summary>
    public IEnumerable<ClientMode> Modes()
    {
        if (Backends.Contains("responses"))
            yield return ClientMode.Streaming;
        if (Backends.Contains("assistants"))
            yield return ClientMode.Assistants;
        if (!SkipBaseline)
            yield return ClientMode.Polling;
    }

    /// <summary>The channel scenarios this run includes.</summary>
    public IEnumerable<IChannelScenario> SelectedChannels() => Channels is null
        ? ChannelScenarios.All
        : Channels.Select(n => ChannelScenarios.Find(n)).OfType<IChannelScenario>();

    /// <summary>The arguments a scenario child process gets for this configuration.</summary>
    public IEnumerable<string> ScenarioArguments() =>
    [
        "--token-interval-ms", Str(TokenIntervalMs), "--tokens", Str(Tokens), "--edit-interval-ms", Str(EditIntervalMs), "--turns", Str(Turns),
        .. SampleAllocations ? ["--allocations"] : Array.Empty<string>(),
        .. CutEvery > 0 ? ["--cut-every", Str(CutEvery)] : Array.Empty<string>(),
    ];

    private static string Backend(string value) => value.ToLowerInvariant() is "responses" or "assistants"
        ? value.ToLowerInvariant()
        : throw new ArgumentException($"--backend: '{value}' is not responses or assistants.");

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
