using System.Diagnostics;
using System.Runtime;

namespace Bot.Benchmarks;

/// <summary>What the bot process used during one measured window.</summary>
internal sealed record ResourceUsage(
    double WallSeconds,
    double CpuSeconds,
    double PeakWorkingSetMb,
    double PeakSampledWorkingSetMb,
    double PeakGcHeapMb,
    double AllocatedMb,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseMs,
    int PeakThreadPoolThreads,
    long PeakPendingWorkItems,
    long JitMethods,
    double JitMs,
    double FakeCpuSeconds,
    double MachineCpuSeconds)
{
    /// <summary>CPU the rest of the machine used meanwhile (other processes, and kernel work charged to no process).</summary>
    public double OtherCpuSeconds => MachineCpuSeconds - CpuSeconds - FakeCpuSeconds;

    /// <summary>Average cores busy: CPU seconds per wall second.</summary>
    public double CoresUsed => WallSeconds > 0 ? CpuSeconds / WallSeconds : 0;
}

/// <summary>
/// Measures the bot process over a window: CPU time (<see cref="Process.TotalProcessorTime"/>), wall time, the
/// working set and GC heap sampled every 25 ms on a thread of its own (plus the kernel's high-water mark,
/// <see cref="Process.PeakWorkingSet64"/>), allocations, collections, thread-pool growth and JIT work.
/// </summary>
internal sealed class ResourceMonitor : IDisposable
{
    private readonly Process _self = Process.GetCurrentProcess();
    private readonly Func<TimeSpan>? _fakeCpu;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart;
    private readonly TimeSpan _fakeCpuAtStart;
    private readonly double _machineCpuAtStart = MachineCpuNow();
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _pauseAtStart = GC.GetTotalPauseDuration();
    private readonly long _jitMethodsAtStart = JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _jitTimeAtStart = JitInfo.GetCompilationTime();
    private readonly Thread _sampler;
    private volatile bool _stopping;
    private long _peakWorkingSet;
    private long _peakHeap;
    private int _peakThreads;
    private long _peakPending;

    public ResourceMonitor(Func<TimeSpan>? fakeCpu = null)
    {
        ResetPeakWorkingSet();
        _fakeCpu = fakeCpu;
        _fakeCpuAtStart = fakeCpu?.Invoke() ?? TimeSpan.Zero;
        _cpuAtStart = CpuNow();
        _sampler = new Thread(Sample) { IsBackground = true, Name = "resource sampler" };
        _sampler.Start();
    }

    /// <summary>Stops sampling and returns the window's figures.</summary>
    public ResourceUsage Stop()
    {
        var wall = _wall.Elapsed;
        var cpu = CpuNow() - _cpuAtStart;
        var fakeCpu = (_fakeCpu?.Invoke() ?? TimeSpan.Zero) - _fakeCpuAtStart;
        _stopping = true;
        _sampler.Join();
        _self.Refresh();
        return new ResourceUsage(
            wall.TotalSeconds,
            cpu.TotalSeconds,
            Mb(_self.PeakWorkingSet64),
            Mb(_peakWorkingSet),
            Mb(_peakHeap),
            Mb(GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart),
            GC.CollectionCount(0) - _collectionsAtStart[0],
            GC.CollectionCount(1) - _collectionsAtStart[1],
            GC.CollectionCount(2) - _collectionsAtStart[2],
            (GC.GetTotalPauseDuration() - _pauseAtStart).TotalMilliseconds,
            _peakThreads,
            _peakPending,
            JitInfo.GetCompiledMethodCount() - _jitMethodsAtStart,
            (JitInfo.GetCompilationTime() - _jitTimeAtStart).TotalMilliseconds,
            fakeCpu.TotalSeconds,
            MachineCpuNow() - _machineCpuAtStart);
    }

    public void Dispose()
    {
        _stopping = true;
        _self.Dispose();
    }

    /// <summary>CPU time this process has used so far.</summary>
    public static TimeSpan CpuNow()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// CPU seconds the whole machine has been busy since boot (Linux <c>/proc/stat</c>: all but idle and iowait, in
    /// 1/100 s), so that a window can tell whether something else ran beside the bot and the fake; NaN elsewhere.
    /// </summary>
    private static double MachineCpuNow()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (ticks.Sum() - ticks[3] - ticks[4]) / 100.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// Makes the kernel's high-water mark (VmHWM, <see cref="Process.PeakWorkingSet64"/>) start again from the
    /// current working set, so that the warm-up's peak does not count (Linux: "5" into /proc/self/clear_refs).
    /// </summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the high-water mark then includes the warm-up; the sampled peak does not.
        }
    }

    private void Sample()
    {
        while (!_stopping)
        {
            _peakWorkingSet = Math.Max(_peakWorkingSet, Environment.WorkingSet);
            _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            _peakThreads = Math.Max(_peakThreads, ThreadPool.ThreadCount);
            _peakPending = Math.Max(_peakPending, ThreadPool.PendingWorkItemCount);
            Thread.Sleep(25);
        }
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
