namespace Bot.Testing;

/// <summary>
/// A clock that moves only when a test says so. Timers made from it (and so <c>Task.Delay(…, clock)</c>) fire when
/// <see cref="Advance"/> passes their due time, which makes waits exact and instant in tests.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The current time; setting it moves the clock (backwards only for tests that need it) and fires due timers.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_lock)
                return _now;
        }
        set => Advance(value - Now);
    }

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Notified whenever a timer is set, fires or goes away, so a test can wait for the code under test to start waiting.</summary>
    public StateChanges Changes { get; } = new();

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
                return _timers.Count(t => t.DueAt is not null);
        }
    }

    /// <summary>Timers that will fire within <paramref name="span"/> from now (telling short waits from long ones).</summary>
    public int TimersDueWithin(TimeSpan span)
    {
        lock (_lock)
            return _timers.Count(t => t.DueAt is { } due && due <= _now + span);
    }

    /// <summary>How long from now until the next timer fires; null when none is waiting.</summary>
    public TimeSpan? UntilNextTimer
    {
        get
        {
            lock (_lock)
                return _timers.Min(t => t.DueAt) - _now;
        }
    }

    /// <summary>Moves the clock forward and fires, in order, every timer that is due by then.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock)
            target = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                if (next is null)
                {
                    _now = target;
                    break;
                }

                if (next.DueAt > _now)
                    _now = next.DueAt!.Value;
                next.Fired();
            }

            next.Callback(next.State);
        }

        Changes.Notify();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public TimerCallback Callback => callback;

        public object? State => state;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                if (!clock._timers.Contains(this))
                    clock._timers.Add(this);
            }

            clock.Changes.Notify();
            return true;
        }

        // Called under the clock's lock when the timer fires: periodic timers come round again.
        public void Fired() => DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : DueAt + _period;

        public void Dispose()
        {
            lock (clock._lock)
            {
                DueAt = null;
                clock._timers.Remove(this);
            }

            clock.Changes.Notify();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
