namespace Bot.Discord.Rest;

/// <summary>
/// Discord's global limit (50 requests per second per bot) kept on this side. Discord counts a request when
/// it arrives, which is somewhere between sending it and reading its response; so a request occupies the
/// window from when it is sent until a window's length after its response came back. However late requests
/// travel, no window of Discord's then sees more than the limit. A global 429 pauses everyone.
/// </summary>
internal sealed class GlobalRateLimit(TimeProvider time, int limit = 50, TimeSpan? window = null)
{
    /// <summary>Discord's global limit per bot token, per second.</summary>
    public const int BotLimit = 50;

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_yield = TimeSpan.FromMilliseconds(20);
    private readonly TimeSpan _window = window ?? TimeSpan.FromMilliseconds(1010);
    private readonly LinkedList<Slot> _slots = new();
    private readonly Lock _lock = new();
    private long _blockedUntil;
    private int _urgentWaiting;
    private int _limit = limit;

    /// <summary>Requests per window this process may send: the whole limit, or its share when several instances share one token.</summary>
    public int Limit
    {
        get => Volatile.Read(ref _limit);
        set => Volatile.Write(ref _limit, Math.Max(1, value));
    }

    /// <summary>
    /// Waits until a request may go and counts it; <see cref="Slot.Complete"/> it when its response arrived. An
    /// <paramref name="urgent"/> request (a reply's first message: the first text people see) goes before the others.
    /// </summary>
    public async Task<Slot> AcquireAsync(bool urgent, CancellationToken cancellationToken)
    {
        if (urgent)
            Interlocked.Increment(ref _urgentWaiting);
        try
        {
            return await WaitForSlotAsync(urgent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (urgent)
                Interlocked.Decrement(ref _urgentWaiting);
        }
    }

    private async Task<Slot> WaitForSlotAsync(bool urgent, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetTimestamp();
                for (var node = _slots.First; node is not null;)
                {
                    var next = node.Next;
                    if (node.Value.CompletedAt is { } done && time.GetElapsedTime(done, now) >= _window)
                        _slots.Remove(node);
                    node = next;
                }

                if (now < _blockedUntil)
                {
                    wait = time.GetElapsedTime(now, _blockedUntil);
                }
                else if (_slots.Count < Limit && !urgent && Volatile.Read(ref _urgentWaiting) > 0)
                {
                    wait = s_yield;
                }
                else if (_slots.Count < Limit)
                {
                    var slot = new Slot(time);
                    _slots.AddLast(slot);
                    return slot;
                }
                else
                {
                    // The soonest a completed slot leaves the window; requests still in flight are polled.
                    wait = _slots.Select(s => s.CompletedAt).OfType<long>().Select(done => _window - time.GetElapsedTime(done, now))
                        .DefaultIfEmpty(s_poll).Min();
                }
            }

            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A global 429: every request waits <paramref name="retryAfter"/>.</summary>
    public void Block(TimeSpan retryAfter)
    {
        lock (_lock)
            _blockedUntil = Math.Max(_blockedUntil, time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>One request's place in the window.</summary>
    internal sealed class Slot(TimeProvider time)
    {
        private long _completedAt;

        public long? CompletedAt => Volatile.Read(ref _completedAt) is var at && at != 0 ? at : null;

        /// <summary>The response arrived (or the request failed): the slot leaves the window a window's length from now.</summary>
        public void Complete() => Interlocked.CompareExchange(ref _completedAt, time.GetTimestamp(), 0);
    }
}
