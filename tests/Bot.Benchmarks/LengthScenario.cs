using System.Diagnostics;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Channels;

namespace Bot.Benchmarks;

/// <summary>Per-turn cost at the start and at the end of one long conversation.</summary>
internal sealed record LengthResult(
    int Turns,
    int Completed,
    int Window,
    double FirstWallMs,
    double FirstCpuMs,
    double FirstAllocatedKb,
    double LastWallMs,
    double LastCpuMs,
    double LastAllocatedKb,
    IReadOnlyList<double> WallMsPerTurn);

/// <summary>
/// One conversation, many sequential turns with short answers and no token delay, through the streaming
/// backend: the wall time, CPU time and allocations of each turn, to show that a turn's work does not grow
/// with the conversation's length. The channel's edit interval is zero here, so that pacing does not hide
/// the work (with 1 s, every turn would take about a second whatever it costs).
/// </summary>
internal static class LengthScenario
{
    public const int WindowSize = 10;

    public static async Task<LengthResult> RunAsync(BenchmarkOptions options)
    {
        await using var fake = await FakeProcess.StartAsync(options);
        var channel = new RecordingChannel("bench", BotSetup.DiscordLike(TimeSpan.Zero));
        var conversationOptions = new ConversationOptions();
        var backend = BotSetup.Backend(ClientMode.Streaming, fake.BaseUri, conversationOptions);
        await BotSetup.WarmUpAsync(backend, channel.Limits);
        await using var bot = await BotSetup.StartAsync(backend, channel, conversationOptions);

        var wall = new List<double>();
        var cpu = new List<double>();
        var allocated = new List<double>();
        var completed = 0;
        for (var turn = 1; turn <= options.Turns; turn++)
        {
            var cpuBefore = ResourceMonitor.CpuNow();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var status = await bot.AskAsync(channel.Message("long", $"question {turn}", $"long-{turn}"), TimeSpan.FromSeconds(60));
            wall.Add(clock.Elapsed.TotalMilliseconds);
            cpu.Add((ResourceMonitor.CpuNow() - cpuBefore).TotalMilliseconds);
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0);
            if (status == TurnStatus.Completed)
                completed++;
        }

        var window = Math.Min(WindowSize, options.Turns);
        return new LengthResult(
            options.Turns,
            completed,
            window,
            wall.Take(window).Average(),
            cpu.Take(window).Average(),
            allocated.Take(window).Average(),
            wall.TakeLast(window).Average(),
            cpu.TakeLast(window).Average(),
            allocated.TakeLast(window).Average(),
            wall);
    }
}
