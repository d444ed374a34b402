namespace Bot.Core.Net;

/// <summary>
/// How long to wait before a retry: what the server asked for when it said (<see cref="RetryAfter"/>), else
/// <c>baseDelay × 2^attempt</c> spread by ±<paramref name="jitter"/> so that clients that failed together do not
/// retry together; either way no longer than <paramref name="maxDelay"/>. Callers wait on their
/// <see cref="TimeProvider"/> (<c>Task.Delay(delay, time, cancellationToken)</c>).
/// </summary>
/// <param name="baseDelay">The wait before the first retry.</param>
/// <param name="maxDelay">The longest wait, whatever the server asks.</param>
/// <param name="jitter">The spread as a fraction of the wait (0.2: from 80 % to 120 %).</param>
/// <param name="random">The source of the spread (tests pass a seeded one); <see cref="Random.Shared"/> by default.</param>
public sealed class Backoff(TimeSpan baseDelay, TimeSpan maxDelay, double jitter = 0.2, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay => maxDelay;

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1 (0 for the first retry).</summary>
    public TimeSpan Delay(int attempt, TimeSpan? serverAsked = null)
    {
        if (serverAsked is { } asked)
            return Clamp(asked);
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        var spread = 1 - jitter + (2 * jitter * _random.NextDouble());
        return Clamp(TimeSpan.FromMilliseconds(Math.Min(exponential * spread, maxDelay.TotalMilliseconds)));
    }

    /// <summary>A wait brought within zero and <see cref="MaxDelay"/>.</summary>
    public TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > maxDelay ? maxDelay : delay;
}
