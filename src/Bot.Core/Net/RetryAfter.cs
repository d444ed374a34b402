using System.Globalization;

namespace Bot.Core.Net;

/// <summary>
/// Reads a server's <c>Retry-After</c>: delta seconds (whole, or with a fraction as Discord sends them) or an HTTP
/// date, which counts from <c>now</c> on the caller's <see cref="TimeProvider"/>. A date already past is a zero wait.
/// </summary>
public static class RetryAfter
{
    /// <summary>The wait a header value asks for; null when there is none or it is neither seconds nor a date.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            return double.IsFinite(seconds) && seconds <= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    /// <summary>The wait a response's <c>Retry-After</c> header asks for; null when it has none (or garbage).</summary>
    public static TimeSpan? From(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("Retry-After", out var values) ? Parse(values.FirstOrDefault(), now) : null;
    }
}
