using System.Diagnostics;

namespace Bot.Discord;

/// <summary>The Discord channel's activity source: a span for each accepted message, which the turn's trace links to.</summary>
internal static class DiscordTelemetry
{
    public static readonly ActivitySource Source = new("Bot.Discord");

    /// <summary>Starts the accept span (no ids, no text: the channel only).</summary>
    public static Activity? StartAccept() => Source.StartActivity("discord.accept", ActivityKind.Consumer);
}
