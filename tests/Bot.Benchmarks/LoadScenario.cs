using System.Collections.Concurrent;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;

namespace Bot.Benchmarks;

/// <summary>What one load run measured.</summary>
internal sealed record LoadResult(
    ClientMode Mode,
    int Conversations,
    int Completed,
    int WrongText,
    int MissingStamps,
    int OverlappingWrites,
    Distribution LatencyMs,
    Distribution FirstTokenMs,
    double UpdatesPerMessage,
    double EditsPerMessage,
    double MinEditIntervalMs,
    double MeanEditIntervalMs,
    int EarlyEdits,
    int EarlyFinalEdits,
    double MaxEarlyMs,
    ResourceUsage Resources,
    IReadOnlyList<AllocationShare>? Allocations = null,
    Distribution? ResumeGapMs = null);

/// <summary>
/// N conversations send one message each, at once, into the core (lanes, turns, SQLite, progressive replies)
/// whose backend talks over real HTTP to the fake in its child process; the fake streams a fixed answer at a
/// fixed token rate. Every visible post or edit is timestamped by the recording channel.
/// </summary>
internal static class LoadScenario
{
    /// <summary>Unmeasured bursts before the measured one.</summary>
    public const int PreBursts = 2;

    public static async Task<LoadResult> RunAsync(BenchmarkOptions options, ClientMode mode, int conversations)
    {
        await using var fake = await FakeProcess.StartAsync(options);
        var channel = new RecordingChannel("bench", BotSetup.DiscordLike(TimeSpan.FromMilliseconds(options.EditIntervalMs)));

        // One slot per conversation: the load is N answers in flight at once, none waiting for a slot.
        var conversationOptions = new ConversationOptions { MaxConcurrentTurns = Math.Max(1, conversations) };
        var backend = BotSetup.Backend(mode, fake.BaseUri, conversationOptions);

        // Bursts of the same shape, not measured: the measured one then meets a bot that has seen this load before
        // (tiered compilation done with these paths, connection pool and heap grown), as a bot that has been up.
        // One is not enough: tier-1 recompilation of the per-turn paths still ran during the next burst.
        var scenario = mode.ToString().ToLowerInvariant();
        await BotSetup.WarmUpAsync(backend, channel.Limits, conversations, async warm =>
        {
            for (var k = 0; k < PreBursts; k++)
            {
                await BurstAsync(warm, $"p{k}-", $"{scenario}-pre{k}", conversations);
                await BotSetup.SettleJitAsync();
            }
        });
        await using var bot = await BotSetup.StartAsync(backend, channel, conversationOptions);

        var stamps = new ConcurrentQueue<Stamp>();
        channel.OnWrite = (writer, write) => stamps.Enqueue(new Stamp(writer.ReplyAddress, write.MessageId!, write.At));
        Console.Error.WriteLine($"    warmed up (pid {Environment.ProcessId}); measuring {conversations} conversations …");
        using var sampler = options.SampleAllocations ? new AllocationSampler() : null;
        sampler?.Start();
        var gapsBefore = mode == ClientMode.BackgroundCut ? (await fake.ResumeGapsAsync()).Count : 0;
        using var monitor = new ResourceMonitor(() => fake.CpuTime);
        var started = DateTimeOffset.UtcNow;
        var statuses = await BurstAsync(bot, "c", scenario, conversations);
        var resources = monitor.Stop();
        var allocations = sampler?.Stop();
        channel.OnWrite = null;

        var firstDeltas = await fake.FirstDeltasAsync();
        var gaps = mode == ClientMode.BackgroundCut ? Distribution.Of((await fake.ResumeGapsAsync()).Skip(gapsBefore)) : null;
        return Summarize(options, mode, conversations, scenario, channel, [.. stamps], firstDeltas, started, statuses, resources)
            with { Allocations = allocations, ResumeGapMs = gaps };
    }

    /// <summary>
    /// N conversations (<c>{prefix}{i}</c>) each send one message at once; returns when every turn has ended. The
    /// measured burst's replies go to <c>c{i}/m{i}</c>; message ids differ per burst (the inbox drops ids it has seen).
    /// </summary>
    private static async Task<TurnStatus[]> BurstAsync(CoreHarness bot, string prefix, string scenario, int conversations)
    {
        var accepted = await Task.WhenAll(Enumerable.Range(0, conversations).Select(i =>
            bot.Service.AcceptAsync(bot.Channel.Message($"{prefix}{i}", Answers.Question(scenario, i), prefix == "c" ? $"m{i}" : $"{prefix}m{i}"))));
        return await Task.WhenAll(accepted.Select(a => a.Answered)).WaitAsync(TimeSpan.FromMinutes(5));
    }

    private static LoadResult Summarize(BenchmarkOptions options, ClientMode mode, int conversations, string scenario, RecordingChannel channel,
        IReadOnlyList<Stamp> stamps, Dictionary<string, DateTimeOffset> firstDeltas, DateTimeOffset started, TurnStatus[] statuses, ResourceUsage resources)
    {
        var expected = Answers.Long(options.Tokens);
        var writers = channel.Replies.ToDictionary(w => w.ReplyAddress, StringComparer.Ordinal);
        var byReply = stamps.GroupBy(s => s.ReplyAddress).ToDictionary(g => g.Key, g => g.OrderBy(s => s.At).ToList(), StringComparer.Ordinal);
        var latencies = new List<double>();
        var firstTokens = new List<double>();
        var intervals = new List<double>();
        var updates = new List<int>();
        int wrongText = 0, missing = 0, overlaps = 0, early = 0, earlyFinal = 0;
        var maxEarly = 0.0;
        for (var i = 0; i < conversations; i++)
        {
            var address = $"c{i}/m{i}";
            if (!writers.TryGetValue(address, out var writer) || writer.Text != expected)
                wrongText++;
            overlaps += writer?.OverlappingWrites ?? 0;
            if (!byReply.TryGetValue(address, out var writes) || !firstDeltas.TryGetValue(Answers.Question(scenario, i), out var firstDelta))
            {
                missing++;
                continue;
            }

            latencies.Add((writes[0].At - firstDelta).TotalMilliseconds);
            firstTokens.Add((firstDelta - started).TotalMilliseconds);
            foreach (var message in writes.GroupBy(w => w.MessageId))
            {
                var times = message.Select(w => w.At).ToList();
                updates.Add(times.Count);
                for (var k = 1; k < times.Count; k++)
                {
                    var interval = (times[k] - times[k - 1]).TotalMilliseconds;
                    intervals.Add(interval);
                    if (interval >= options.EditIntervalMs)
                        continue;
                    early++;
                    earlyFinal += k == times.Count - 1 ? 1 : 0;
                    maxEarly = Math.Max(maxEarly, options.EditIntervalMs - interval);
                }
            }
        }

        return new LoadResult(
            mode,
            conversations,
            statuses.Count(s => s == TurnStatus.Completed),
            wrongText,
            missing,
            overlaps,
            Distribution.Of(latencies),
            Distribution.Of(firstTokens),
            updates.Count == 0 ? 0 : updates.Average(),
            updates.Count == 0 ? 0 : updates.Average(u => u - 1),
            intervals.Count == 0 ? double.NaN : intervals.Min(),
            intervals.Count == 0 ? double.NaN : intervals.Average(),
            early,
            earlyFinal,
            maxEarly,
            resources);
    }

    private sealed record Stamp(string ReplyAddress, string MessageId, DateTimeOffset At);
}
