using System.Diagnostics;

namespace Bot.Core.Telemetry;

/// <summary>
/// When and in which trace a message was accepted; counts it as waiting until its turn starts (or it is dropped).
/// </summary>
internal sealed class AcceptMark
{
    private int _waiting;

    public AcceptMark(string channel)
    {
        Channel = channel;
        Timestamp = Stopwatch.GetTimestamp();
        At = DateTimeOffset.UtcNow;
        Context = Activity.Current?.Context;
        if (CoreTelemetry.WaitingMessages.Enabled)
        {
            _waiting = 1;
            CoreTelemetry.WaitingMessages.Add(1, new KeyValuePair<string, object?>("bot.channel", channel));
        }
    }

    public string Channel { get; }

    /// <summary>Stopwatch timestamp of the accept.</summary>
    public long Timestamp { get; }

    public DateTimeOffset At { get; }

    /// <summary>The accept's trace, linked from the turn's.</summary>
    public ActivityContext? Context { get; }

    /// <summary>The message left the queue (its turn started, or it was dropped or failed); idempotent.</summary>
    public void LeftQueue()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
            CoreTelemetry.WaitingMessages.Add(-1, new KeyValuePair<string, object?>("bot.channel", Channel));
    }
}
