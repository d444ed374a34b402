using System.Diagnostics;

namespace Bot.Web;

/// <summary>The Web channel's activity source: a span for each accepted message, which the turn's trace links to.</summary>
internal static class WebTelemetry
{
    public static readonly ActivitySource Source = new("Bot.Web");

    /// <summary>Starts the accept span (no ids, no text: the channel only).</summary>
    public static Activity? StartAccept() => Source.StartActivity("web.accept", ActivityKind.Consumer);
}
