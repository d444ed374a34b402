namespace Bot.Core.Conversations;

/// <summary>
/// The turn timeout (<c>Conversations:TurnTimeout</c>) as a token, with a clock that stops while the turn waits for a
/// person (an approval): the time someone takes to click is not the assistant's time, so an approval timeout longer
/// than the turn timeout cannot cut a turn short.
/// </summary>
internal sealed class TurnDeadline : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _source;
    private readonly TimeProvider _time;
    private DateTimeOffset _due;
    private TimeSpan _remaining;
    private int _pauses;

    public TurnDeadline(TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _due = time.GetUtcNow() + timeout;
        _source = new CancellationTokenSource(timeout, time);
    }

    /// <summary>Cancelled when the turn has used up its time.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Stops the clock until the returned handle is disposed (pauses may nest).</summary>
    public IDisposable Pause()
    {
        lock (_lock)
        {
            if (_pauses++ == 0)
            {
                _remaining = _due - _time.GetUtcNow();
                if (!_source.IsCancellationRequested)
                    _source.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }

        return new Resumption(this);
    }

    private void Resume()
    {
        lock (_lock)
        {
            if (--_pauses > 0)
                return;
            var remaining = _remaining > TimeSpan.Zero ? _remaining : TimeSpan.Zero;
            _due = _time.GetUtcNow() + remaining;
            if (!_source.IsCancellationRequested)
                _source.CancelAfter(remaining);
        }
    }

    public void Dispose() => _source.Dispose();

    private sealed class Resumption(TurnDeadline deadline) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                deadline.Resume();
        }
    }
}
