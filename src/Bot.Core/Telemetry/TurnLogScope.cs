using Microsoft.Extensions.Logging;

namespace Bot.Core.Telemetry;

/// <summary>Log scopes of a turn: its channel and hashed conversation, then its turn id (never ids of people or text).</summary>
internal static class TurnLogScope
{
    private static readonly Func<ILogger, string, string, IDisposable?> s_turn =
        LoggerMessage.DefineScope<string, string>("Turn in {Channel} {ConversationHash}");

    private static readonly Func<ILogger, long, IDisposable?> s_turnId = LoggerMessage.DefineScope<long>("TurnId {TurnId}");

    public static IDisposable? Begin(ILogger logger, string channel, string conversationHash) => s_turn(logger, channel, conversationHash);

    public static IDisposable? BeginTurnId(ILogger logger, long turnId) => s_turnId(logger, turnId);
}
