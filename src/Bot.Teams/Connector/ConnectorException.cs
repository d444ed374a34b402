using System.Net;

namespace Bot.Teams.Connector;

/// <summary>A Connector call that failed for good; <see cref="Code"/> is the ErrorResponse code (e.g. ContentStreamNotAllowed).</summary>
internal sealed class ConnectorException(HttpStatusCode status, string? code, string? detail)
    : Exception($"The Bot Connector answered {(int)status} {code}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string? Code { get; } = code;

    public string? Detail { get; } = detail;

    public bool IsStreamNotAllowed => Status == HttpStatusCode.Forbidden && string.Equals(Code, "ContentStreamNotAllowed", StringComparison.OrdinalIgnoreCase);

    /// <summary>The user pressed Stop ("Content stream was canceled by user"; older text "cancelled").</summary>
    public bool IsStoppedByUser => IsStreamNotAllowed && Detail is { } d && d.Contains("cancel", StringComparison.OrdinalIgnoreCase);

    /// <summary>The stream ran past Teams' two minutes.</summary>
    public bool IsStreamTimeout => IsStreamNotAllowed && Detail is { } d && d.Contains("time", StringComparison.OrdinalIgnoreCase);

    /// <summary>Streaming is not available here (not allowed for this user/bot, or "streaming api is not enabled").</summary>
    public bool IsStreamingUnavailable =>
        (IsStreamNotAllowed && !IsStoppedByUser && !IsStreamTimeout && Detail is { } d && d.Contains("not allowed", StringComparison.OrdinalIgnoreCase)
            && !d.Contains("completed", StringComparison.OrdinalIgnoreCase))
        || (Status == HttpStatusCode.BadRequest && Detail is { } m && m.Contains("streaming api is not enabled", StringComparison.OrdinalIgnoreCase));
}
