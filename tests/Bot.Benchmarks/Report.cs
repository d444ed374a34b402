using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Bot.Benchmarks;

/// <summary>The benchmark's Markdown report: how it was run, the tables, and the targets met or missed.</summary>
internal sealed class Report(BenchmarkOptions options, IReadOnlyList<LoadResult> loads, LengthResult? length, DateTimeOffset started, TimeSpan elapsed)
{
    /// <summary>Everything from this line on in an existing report is hand-written analysis and is kept on rewrite.</summary>
    public const string AnalysisMarker = "<!-- Everything below is written by hand and kept when the benchmark rewrites this file. -->";

    /// <summary>The channel scenarios' own sections (see <see cref="IChannelScenario"/>), in the order they ran.</summary>
    public IReadOnlyList<string> ChannelSections { get; init; } = [];

    public string Results()
    {
        var text = new StringBuilder();
        text.Append("### Bot-added latency and edit cadence\n\n");
        var latency = new MarkdownTable("client", "N", "answered", "latency p50 (ms)", "p99 (ms)", "max (ms)", "first token sent p50 / max (ms)",
            "updates / msg", "edits / msg", "min edit interval (ms)", "mean edit interval (ms)", "edits sooner than cadence");
        foreach (var r in loads)
        {
            latency.Row(Name(r.Mode), r.Conversations, Answered(r), r.LatencyMs.P50, r.LatencyMs.P99, r.LatencyMs.Max,
                $"{MarkdownTable.Format(r.FirstTokenMs.P50)} / {MarkdownTable.Format(r.FirstTokenMs.Max)}", r.UpdatesPerMessage,
                r.EditsPerMessage, r.MinEditIntervalMs, r.MeanEditIntervalMs, Early(r));
        }

        text.Append(latency).Append('\n');
        text.Append("### Bot process: CPU, memory, wall time\n\n");
        var resources = new MarkdownTable("client", "N", "wall (s)", "bot CPU (s)", "CPU / answer (ms)", "cores used", "share of 2 cores", "peak working set (MB)",
            "peak GC heap (MB)", "allocated (MB)", "GCs gen0/1/2", "GC pause (ms)", "JIT time (ms)", "peak pool threads", "fake CPU (s)", "others' CPU (s)");
        foreach (var r in loads)
        {
            var u = r.Resources;
            resources.Row(Name(r.Mode), r.Conversations, u.WallSeconds, u.CpuSeconds, 1000 * u.CpuSeconds / Math.Max(1, r.Conversations), u.CoresUsed, Percent(u.CoresUsed / Environment.ProcessorCount),
                u.PeakWorkingSetMb, u.PeakGcHeapMb, u.AllocatedMb, $"{u.Gen0Collections}/{u.Gen1Collections}/{u.Gen2Collections}", u.GcPauseMs,
                u.JitMs, u.PeakThreadPoolThreads, u.FakeCpuSeconds, u.OtherCpuSeconds);
        }

        text.Append(resources).Append('\n');
        if (loads.Where(r => !Orchestrator.IsClean(r)).ToList() is { Count: > 0 } disturbed)
        {
            text.Append("**Not clean:** other processes used more than a tenth of a core during ")
                .AppendJoin(", ", disturbed.Select(r => $"{Name(r.Mode)} N = {r.Conversations}"))
                .Append(" (see \"others' CPU\"), also after retries; those rows overstate latency and understate the bot's share.\n\n");
        }

        foreach (var r in loads.Where(r => r.Allocations is { Count: > 0 }))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"### Allocations by type, {Name(r.Mode)}, N = {r.Conversations} ({MarkdownTable.Format(r.Resources.AllocatedMb)} MB in the window, sampled)\n\n");
            var table = new MarkdownTable("type", "share of allocated bytes");
            foreach (var share in r.Allocations!)
                table.Row($"`{share.Type}`", Percent(share.Percent / 100));
            text.Append(table).Append('\n');
        }

        if (length is { } l)
        {
            text.Append(CultureInfo.InvariantCulture, $"### Conversation length: one conversation, {l.Turns} sequential turns ({l.Completed} completed)\n\n");
            var table = new MarkdownTable("turns", "mean wall (ms)", "mean bot CPU (ms)", "mean allocated (KB)");
            table.Row($"1–{l.Window}", l.FirstWallMs, l.FirstCpuMs, l.FirstAllocatedKb);
            table.Row($"{l.Turns - l.Window + 1}–{l.Turns}", l.LastWallMs, l.LastCpuMs, l.LastAllocatedKb);
            table.Row("last ÷ first", l.LastWallMs / l.FirstWallMs, l.LastCpuMs / l.FirstCpuMs, l.LastAllocatedKb / l.FirstAllocatedKb);
            text.Append(table).Append('\n');
        }

        return text.ToString();
    }

    public string Targets()
    {
        var table = new MarkdownTable("target", "measured", "met");
        var at200 = Find(ClientMode.Streaming, 200);
        var at1000 = Find(ClientMode.Streaming, 1000);
        table.Row("bot-added latency p50 ≤ 15 ms at N = 200", Ms(at200?.LatencyMs.P50), Verdict(at200?.LatencyMs.P50 <= 15, at200));
        table.Row("bot-added latency p99 ≤ 60 ms at N = 200", Ms(at200?.LatencyMs.P99), Verdict(at200?.LatencyMs.P99 <= 60, at200));
        table.Row("N = 1000: < 1.0 core on average (half of 2 cores)", Cores(at1000), Verdict(at1000?.Resources.CoresUsed < 1.0, at1000));
        table.Row("N = 1000: peak memory < 300 MB", Mb(at1000), Verdict(at1000?.Resources.PeakWorkingSetMb < 300, at1000));
        if (Find(ClientMode.Assistants, 200) is { } assistants200)
        {
            table.Row("Assistants backend: latency p50 ≤ 15 ms / p99 ≤ 60 ms at N = 200", $"{Ms(assistants200.LatencyMs.P50)} / {Ms(assistants200.LatencyMs.P99)}",
                Verdict(assistants200.LatencyMs.P50 <= 15 && assistants200.LatencyMs.P99 <= 60, assistants200));
        }

        if (Find(ClientMode.Assistants, 1000) is { } assistants1000)
        {
            table.Row("Assistants backend, N = 1000: < 1.0 core, peak memory < 300 MB", $"{Cores(assistants1000)}, {Mb(assistants1000)}",
                Verdict(assistants1000.Resources.CoresUsed < 1.0 && assistants1000.Resources.PeakWorkingSetMb < 300, assistants1000));
        }
        if (length is { } l)
        {
            var flat = l.LastCpuMs <= 1.25 * l.FirstCpuMs && l.LastAllocatedKb <= 1.25 * l.FirstAllocatedKb;
            table.Row($"per-turn work flat: CPU and allocations of turns {l.Turns - l.Window + 1}–{l.Turns} ≤ 1.25 × turns 1–{l.Window}",
                $"CPU ×{MarkdownTable.Format(l.LastCpuMs / l.FirstCpuMs)}, allocations ×{MarkdownTable.Format(l.LastAllocatedKb / l.FirstAllocatedKb)}",
                flat ? "yes" : "**no**");
        }
        else
        {
            table.Row("per-turn work flat", "not run", "–");
        }

        foreach (var r in loads.Where(r => r.Mode != ClientMode.Polling))
        {
            table.Row($"{(r.Mode == ClientMode.Assistants ? "Assistants backend, " : "")}N = {r.Conversations}: no edit sooner than {options.EditIntervalMs} ms; every answer complete, correct, never two writes at once",
                $"edits sooner: {Early(r)}; {Answered(r)} answered, {r.WrongText} wrong, {r.OverlappingWrites} overlapping",
                r.EarlyEdits == 0 && r.Completed == r.Conversations && r.WrongText == 0 && r.OverlappingWrites == 0 ? "yes" : "**no**");
        }

        return table.ToString();
    }

    public async Task WriteAsync(string path)
    {
        var analysis = File.Exists(path) && (await File.ReadAllTextAsync(path)) is var old && old.IndexOf(AnalysisMarker, StringComparison.Ordinal) is var at and >= 0
            ? old[at..]
            : AnalysisMarker + "\n\n## Analysis\n\n(No analysis written yet.)\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, Document() + "\n" + analysis);
    }

    private string Document()
    {
        var answer = Answers.Long(options.Tokens);
        var command = "dotnet run -c Release --project tests/Bot.Benchmarks --" + (options.CommandLine.Length > 0 ? " " + options.CommandLine : "");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # Benchmarks

            Latency, edit cadence, CPU and memory of the bot under load, measured by `tests/Bot.Benchmarks` (a console
            program, not a test). The tables below are written by the program itself; the analysis at the end is not.

            ## How these figures were made

            ```sh
            {command}
            ```

            - Run on {started:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:0.0} minutes in all, {SourceVersion()}.
            - Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, Release build, workstation concurrent GC (as the host).
            - Each scenario runs in a fresh process of its own (`scenario load …`), which starts the OpenAI fake in a
              child process of its own (`fake --port 0`). CPU time and memory are the bot process's alone.

            ## Scenario

            - **Load:** N conversations (N = {string.Join(", ", options.Loads)}) each send one message at the same moment into
              `ConversationService` (lanes, turns, the real SQLite store in a temp folder) with
              `Conversations:MaxConcurrentTurns = N`, so that all N answers are in flight at once and none waits for a slot.
            - **Backend:** the real `ResponsesBackend` on the OpenAI 2.15 SDK (default options: code interpreter and file
              search on, retries with backoff) over real HTTP to the loopback fake. The first turn of each conversation
              also creates its remote conversation (POST /v1/conversations), as in production.
              The rows "streaming (bot, Assistants)" run the real `AssistantsBackend` the same way (`--backend`): a
              thread per conversation (POST /v1/threads on its first turn), then per turn a message and a streamed run
              (POST /v1/threads/{"{id}"}/messages, POST …/runs with `stream: true`); the assistant is configured up front.
            - **Answer:** a fixed text of {options.Tokens} deltas ({answer.Length} characters) at one delta every {options.TokenIntervalMs} ms
              ({1000.0 / Math.Max(1, options.TokenIntervalMs):0} tokens/s), so generation takes {options.Tokens * options.TokenIntervalMs / 1000.0:0.0} s.
            - **Channel:** a `RecordingChannel` with Discord's limits: 2000 characters, `MinEditInterval` {options.EditIntervalMs} ms, 8 MB;
              its `OnWrite` callback timestamps every visible post and edit.
            - **Warm-up:** before measuring, each scenario process answers rounds of 16 parallel turns (the same answer
              at 2 ms per token) until the JIT compiles nothing new (at most 8 rounds), then {LoadScenario.PreBursts} unmeasured bursts of
              exactly the measured shape (N other conversations), waiting after each until the JIT is idle. The warm-up
              runs in a core instance of its own (own SQLite file and recording channel) on the same backend object,
              so the HTTP connection pool carries over; then a full garbage collection, and the measured core starts
              fresh. So the measured burst meets a process that has been up: tiered compilation done, connection pool
              and heap grown. The measured window starts at the first accept and ends when the last answer's turn has
              finished (final edit delivered, turn recorded in SQLite).
            - **Bot-added latency** = time the first text became visible on the channel − time the fake sent the first
              text delta. The fake stamps `FakeResponseRequest.FirstTextDeltaAt` just before it flushes that delta's
              SSE frame to Kestrel; the bot side asks the fake process for these stamps over its stdin/stdout after the
              run and matches them by question text. Both are `DateTimeOffset.UtcNow` on the same machine clock. The
              figure thus includes loopback TCP, the SDK's SSE parsing, the backend, the core's reply rendering and the
              channel write.
            - **Baseline (polling):** the same core, store and channel with a backend that does what Assistants-era
              bots did: start the answer without a stream (`background: true`, non-streamed POST /v1/responses), GET
              /v1/responses/{"{id}"} every {BotSetup.PollInterval.TotalSeconds:0} s until a poll sees it completed, then show
              the whole text at once. For background responses the fake generates the tokens at the same pace and
              stamps the first one when it is generated, so the baseline's latency is measured the same way.
            - **First token sent:** when the fake sent (or, for the baseline, generated) each answer's first delta,
              counted from the start of the burst: how long the bot took to accept the message, start the turn,
              create the remote conversation and start the response, and how far apart the N turns started.
            - **Edits:** "updates / msg" counts the visible writes (post + edits) of each message; intervals are between
              consecutive writes of one message.
            - **CPU:** the bot process's `Process.TotalProcessorTime` over the window; "cores used" = CPU seconds ÷ wall
              seconds; "share of 2 cores" = cores used ÷ {Environment.ProcessorCount}. "fake CPU" is the fake process over the same window:
              it runs on the same {Environment.ProcessorCount} cores, so at high N the two compete for them. "others' CPU" is the rest of the
              machine over the window (`/proc/stat` busy time − bot − fake): loopback networking the kernel charges to
              no process, and anything else that ran; a figure much above a few tenths of a second means the run
              shared the machine and its numbers are not clean.
            - **Memory:** "peak working set" is the process's high-water mark (`Process.PeakWorkingSet64`, VmHWM), reset
              at the start of the window (Linux `/proc/self/clear_refs`), so it is the window's peak resident memory
              including what the warm-up left resident; "peak GC heap" is `GC.GetTotalMemory` sampled every 25 ms.
            - **Conversation length:** after the same warm-up rounds, one conversation, {options.Turns} sequential turns with a short
              answer and no token delay, through the streaming backend; the channel's edit interval is 0 here so that
              pacing does not mask the work. CPU per turn is the process's CPU time across the turn, allocations are
              `GC.GetTotalAllocatedBytes` across it. "Flat" means turns {options.Turns - LengthScenario.WindowSize + 1}–{options.Turns} cost at most 1.25 × turns 1–{LengthScenario.WindowSize}
              in both CPU and allocations.
            - **Answered / correct:** every reply's final text is compared with the fixed answer; the recording
              channel also counts writes that overlapped on one reply (must be 0).

            Options: `--n 1,50,200,1000`, `--token-interval-ms 20`, `--tokens 120`, `--edit-interval-ms 1000`, `--backend responses,assistants`,
            `--skip-baseline`, `--skip-length`, `--turns 100`, `--allocations` (sample allocations by type during
            each load; costs a little CPU), `--out docs/benchmarks.md` (without it the tables are only printed).

            ## Results

            """);
        text.Append(Results());
        text.Append("## Targets\n\n").Append(Targets()).Append('\n');
        foreach (var section in ChannelSections)
            text.Append(section.TrimEnd()).Append("\n\n");
        return text.ToString();
    }

    private LoadResult? Find(ClientMode mode, int n) => loads.FirstOrDefault(r => r.Mode == mode && r.Conversations == n);

    private static string Name(ClientMode mode) => mode switch
    {
        ClientMode.Streaming => "streaming (bot)",
        ClientMode.Assistants => "streaming (bot, Assistants)",
        ClientMode.Background => "background streaming (bot)",
        ClientMode.BackgroundCut => "background streaming, cut and resumed (bot)",
        _ => "polling 1 s (baseline)",
    };

    private static string Early(LoadResult r) => r.EarlyEdits == 0
        ? "0"
        : $"{r.EarlyEdits} ({r.EarlyFinalEdits} final), ≤ {MarkdownTable.Format(r.MaxEarlyMs)} ms early";

    private static string Answered(LoadResult r) => $"{r.Completed}/{r.Conversations}";

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? $"{MarkdownTable.Format(v)} ms" : "not run";

    private static string Cores(LoadResult? r) => r is null ? "not run" : $"{MarkdownTable.Format(r.Resources.CoresUsed)} cores";

    private static string Mb(LoadResult? r) => r is null ? "not run" : $"{MarkdownTable.Format(r.Resources.PeakWorkingSetMb)} MB";

    private static string Verdict(bool? met, LoadResult? run) => run is null ? "–" : met == true ? "yes" : "**no**";

    /// <summary>"commit abc1234" (and whether src has local changes), or "commit unknown" without git.</summary>
    private static string SourceVersion()
    {
        static string? Git(string arguments)
        {
            try
            {
                using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                var output = git?.StandardOutput.ReadToEnd().Trim();
                git?.WaitForExit();
                return git?.ExitCode == 0 ? output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }

        var head = Git("rev-parse --short HEAD");
        return head is null ? "commit unknown"
            : Git("status --porcelain -- src") is { Length: > 0 } ? $"src at commit {head} with local changes" : $"src at commit {head}";
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
