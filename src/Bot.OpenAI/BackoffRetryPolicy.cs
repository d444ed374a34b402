using System.ClientModel.Primitives;
using System.Globalization;
using Bot.Core.Net;

namespace Bot.OpenAI;

/// <summary>
/// The SDK's retry policy with a real backoff. The default instance of System.ClientModel 1.16 retries
/// with ~0 ms waits (reference/openai.md §0.7); this one waits base, 2×base, 4×base (±20 %), or what
/// the server asks for in retry-after-ms / Retry-After (seconds or a date), capped at a minute, on the
/// <see cref="TimeProvider"/>.
/// </summary>
internal sealed class BackoffRetryPolicy(int maxRetries, TimeSpan baseDelay, TimeProvider? time = null) : ClientRetryPolicy(maxRetries)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Backoff _backoff = new(baseDelay, TimeSpan.FromMinutes(1));

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        Bot.Core.Telemetry.CoreTelemetry.Retried("openai", message.Response is { } response ? response.Status.ToString(CultureInfo.InvariantCulture) : "network");
        return _backoff.Delay(tryCount - 1, message.Response?.Headers is { } headers ? ServerAsked(headers) : null);
    }

    protected override Task WaitAsync(TimeSpan time, CancellationToken cancellationToken) => Task.Delay(time, _time, cancellationToken);

    protected override void Wait(TimeSpan time, CancellationToken cancellationToken) =>
        WaitAsync(time, cancellationToken).GetAwaiter().GetResult();

    // OpenAI's own retry-after-ms is finer than the standard header, so it goes first.
    private TimeSpan? ServerAsked(PipelineResponseHeaders headers)
    {
        if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && double.IsFinite(millis))
            return TimeSpan.FromMilliseconds(millis);
        return headers.TryGetValue("Retry-After", out var after) ? RetryAfter.Parse(after, _time.GetUtcNow()) : null;
    }
}
