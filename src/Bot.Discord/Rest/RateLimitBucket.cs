namespace Bot.Discord.Rest;

/// <summary>
/// One rate-limit bucket (a route, for one major parameter). Requests go out one at a
/// time, so the counts from the last response are exact: when none remain, the next request waits for
/// the reset instead of drawing a 429. Until the first response is known, one request is allowed.
/// </summary>
internal sealed class RateLimitBucket(TimeProvider time)
{
    // Reset-After comes rounded to milliseconds and our clock is not Discord's: wait a little past it.
    private static readonly TimeSpan s_resetMargin = TimeSpan.FromMilliseconds(50);

    private int _limit = 1;
    private int _remaining = 1;
    private long _resetAt;

    /// <summary>Serializes the bucket's requests (first come, first served).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>How long to wait before the next request may go (zero: go now; the request is counted).</summary>
    public TimeSpan Reserve()
    {
        var now = time.GetTimestamp();
        if (_remaining <= 0 && now < _resetAt)
            return time.GetElapsedTime(now, _resetAt);
        if (_remaining <= 0)
            _remaining = _limit;
        _remaining--;
        return TimeSpan.Zero;
    }

    /// <summary>Takes the counts from a response's X-RateLimit-* headers.</summary>
    public void Update(int? limit, int? remaining, TimeSpan? resetAfter)
    {
        if (limit is > 0)
            _limit = limit.Value;
        if (remaining is not null)
            _remaining = remaining.Value;
        if (resetAfter is { } after)
            _resetAt = time.GetTimestamp() + (long)((after + s_resetMargin).TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>A 429 for this bucket: nothing more until <paramref name="retryAfter"/> has passed.</summary>
    public void Exhaust(TimeSpan retryAfter)
    {
        _remaining = 0;
        _resetAt = time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency);
    }
}
