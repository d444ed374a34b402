using System.ClientModel.Primitives;
using System.Globalization;

namespace Bot.OpenAI;

/// <summary>
/// The SDK's retry policy with a real backoff. The default instance of System.ClientModel 1.16 retries
/// with ~0 ms waits (reference/openai.md §0.7); this one waits base, 2×base, 4×base (±20 %), or what
/// the server asks for in Retry-After / retry-after-ms, capped at a minute.
/// </summary>
internal sealed class BackoffRetryPolicy(int maxRetries, TimeSpan baseDelay) : ClientRetryPolicy(maxRetries)
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMinutes(1);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        var headers = message.Response?.Headers;
        if (headers is not null)
        {
            if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis))
                return Cap(TimeSpan.FromMilliseconds(millis));
            if (headers.TryGetValue("Retry-After", out var after) && double.TryParse(after, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                return Cap(TimeSpan.FromSeconds(seconds));
        }

        var exponential = baseDelay * Math.Pow(2, Math.Max(0, tryCount - 1));
        return Cap(exponential * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private static TimeSpan Cap(TimeSpan delay) => delay > s_maxDelay ? s_maxDelay : delay;
}
