using System.Diagnostics;

namespace Bot.Teams;

/// <summary>The Teams channel's activity source: a span for each accepted message, which the turn's trace links to.</summary>
internal static class TeamsTelemetry
{
    public static readonly ActivitySource Source = new("Bot.Teams");

    /// <summary>Starts the accept span (no ids, no text: the channel only).</summary>
    public static Activity? StartAccept() => Source.StartActivity("teams.accept", ActivityKind.Consumer);
}
