using Microsoft.Extensions.Logging;

namespace Bot.Core;

// The approvals' messages (event ids 1220–1229). Arguments are never logged: they may carry what the user typed.
internal static partial class Log
{
    [LoggerMessage(1220, LogLevel.Information, "Asked {AskerId} to approve {Server}/{Tool} (prompt {PromptId}, expires {ExpiresAt:o})")]
    public static partial void ApprovalAsked(ILogger logger, string askerId, string server, string tool, string promptId, DateTimeOffset expiresAt);

    [LoggerMessage(1221, LogLevel.Information, "Approval {PromptId} for {Server}/{Tool}: {Decision}")]
    public static partial void ApprovalDecided(ILogger logger, string promptId, string server, string tool, string decision);

    [LoggerMessage(1222, LogLevel.Information, "This channel cannot ask for approval: {Server}/{Tool} is denied")]
    public static partial void ApprovalUnavailable(ILogger logger, string server, string tool);

    [LoggerMessage(1223, LogLevel.Warning, "The approval question {PromptId} could not be shown: {Server}/{Tool} is denied")]
    public static partial void ApprovalAskFailed(ILogger logger, string promptId, string server, string tool, Exception exception);

    [LoggerMessage(1224, LogLevel.Warning, "The outcome of approval {PromptId} could not be shown")]
    public static partial void ApprovalSettleFailed(ILogger logger, string promptId, Exception exception);
}
