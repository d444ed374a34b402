using Microsoft.Extensions.Logging;

namespace Bot.OpenAI;

/// <summary>Background responses: resuming cut streams, cancelling, finishing a turn an earlier process left (event ids 3010–3099 of the block 3000–3099, whose first ids the SQLite store took).</summary>
internal static partial class Log
{
    [LoggerMessage(3010, LogLevel.Warning, "The endpoint {Endpoint} rejected background responses (OpenAI:Background); until the bot restarts, " +
        "its responses are plainly streamed, and a cut stream cannot be resumed")]
    public static partial void BackgroundUnsupported(ILogger logger, string endpoint);

    [LoggerMessage(3011, LogLevel.Information, "The stream of response {ResponseId} broke off after event {SequenceNumber}; resuming it (try {Try})")]
    public static partial void ResumingStream(ILogger logger, string responseId, long sequenceNumber, int @try, Exception? exception);

    [LoggerMessage(3012, LogLevel.Warning, "The stream of response {ResponseId} could not be resumed after event {SequenceNumber} in {Tries} tries")]
    public static partial void ResumeFailed(ILogger logger, string responseId, long sequenceNumber, int tries, Exception? exception);

    [LoggerMessage(3013, LogLevel.Information, "Finishing response {ResponseId} that an earlier process left {Status}")]
    public static partial void ResumingTurn(ILogger logger, string responseId, string status);

    [LoggerMessage(3014, LogLevel.Warning, "The turn of response {ResponseId} died while function tool {Tool} ran; it is not idempotent, so it is not run again")]
    public static partial void ToolStepLost(ILogger logger, string responseId, string tool);

    [LoggerMessage(3015, LogLevel.Information, "Cancelled response {ResponseId} at the service")]
    public static partial void ResponseCancelled(ILogger logger, string responseId);

    [LoggerMessage(3016, LogLevel.Debug, "Response {ResponseId} had already ended or is gone ({Status}); nothing to cancel")]
    public static partial void NothingToCancel(ILogger logger, string responseId, int status);

    [LoggerMessage(3017, LogLevel.Information, "Following run {RunId} on thread {ThreadId} that an earlier process left {Status}")]
    public static partial void FollowingRun(ILogger logger, string runId, string threadId, string status);

    [LoggerMessage(3018, LogLevel.Warning, "Run {RunId} cannot be cancelled: its thread is not known to this process")]
    public static partial void RunThreadUnknown(ILogger logger, string runId);

    [LoggerMessage(3019, LogLevel.Warning, "Response {ResponseId}, left running by an earlier turn, could not be cancelled")]
    public static partial void LeftoverCancelFailed(ILogger logger, string responseId, Exception exception);
}
