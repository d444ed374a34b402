using Microsoft.Extensions.Options;

namespace Bot.Host.Telemetry;

/// <summary>Section <c>Telemetry</c>: the Prometheus scrape endpoint and where it is served. OTLP follows the standard <c>OTEL_*</c> variables.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serve <c>/metrics</c> in the Prometheus text format (off by default).</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// The management address(es), <c>;</c>-separated (e.g. <c>http://127.0.0.1:9464</c>): the host listens there too, and
    /// <c>/metrics</c> answers only there. Empty: <c>/metrics</c> answers on the main address to loopback requests only.
    /// </summary>
    public string? ManagementUrls { get; set; }

    /// <summary>The management URLs, parsed (invalid entries are reported by the validator).</summary>
    public IReadOnlyList<Uri> ManagementUris() =>
        [.. Split(ManagementUrls).Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>()];

    internal static IEnumerable<string> Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Management URLs must be absolute http URLs with a port the host can listen on.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var bad = TelemetryOptions.Split(options.ManagementUrls)
            .Where(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !u.Contains(":80", StringComparison.Ordinal))
            .ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Telemetry:ManagementUrls: '{string.Join(";", bad)}' is not an http URL with a port (e.g. http://127.0.0.1:9464)");
    }
}
