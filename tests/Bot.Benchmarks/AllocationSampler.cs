using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Bot.Benchmarks;

/// <summary>One type's share of the sampled allocations.</summary>
internal sealed record AllocationShare(string Type, double Percent);

/// <summary>
/// Which types the process allocates, from the runtime's own sampling: the GC raises an AllocationTick event
/// about every 100 KB allocated, naming the type of the object that crossed the mark. Summed per type, the
/// ticks estimate each type's share of the allocated bytes. Only with <c>--allocations</c>: the listener costs a little.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    /// <summary>Stops recording; returns the types with the largest shares, largest first.</summary>
    public IReadOnlyList<AllocationShare> Stop(int top = 15)
    {
        _recording = false;
        var total = Math.Max(1, _bytesByType.Values.Sum());
        return [.. _bytesByType.OrderByDescending(p => p.Value).Take(top).Select(p => new AllocationShare(p.Key, 100.0 * p.Value / total))];
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
            return;
        var names = eventData.PayloadNames!;
        var typeAt = names.IndexOf("TypeName");
        var amountAt = names.IndexOf("AllocationAmount64");
        if (typeAt < 0 || amountAt < 0)
            return;
        var type = eventData.Payload![typeAt] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[amountAt], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
