namespace Bot.Discord.Rest;

/// <summary>
/// Discord's global limit (50 requests per second per bot) kept on this side: no more than the limit in
/// any sliding window (a little longer than a second, for network jitter), and a pause for everyone after
/// a global 429.
/// </summary>
internal sealed class GlobalRateLimit(TimeProvider time, int limit = 50, TimeSpan? window = null)
{
    private readonly TimeSpan _window = window ?? TimeSpan.FromMilliseconds(1050);
    private readonly Queue<long> _sent = new();
    private readonly Lock _lock = new();
    private long _blockedUntil;

    /// <summary>Waits until a request may go and counts it.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetTimestamp();
                while (_sent.Count > 0 && time.GetElapsedTime(_sent.Peek(), now) >= _window)
                    _sent.Dequeue();
                if (now < _blockedUntil)
                {
                    wait = time.GetElapsedTime(now, _blockedUntil);
                }
                else if (_sent.Count < limit)
                {
                    _sent.Enqueue(now);
                    return;
                }
                else
                {
                    wait = _window - time.GetElapsedTime(_sent.Peek(), now);
                }
            }

            await Task.Delay(Max(wait, TimeSpan.FromMilliseconds(1)), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A global 429: every request waits <paramref name="retryAfter"/>.</summary>
    public void Block(TimeSpan retryAfter)
    {
        lock (_lock)
            _blockedUntil = Math.Max(_blockedUntil, time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
