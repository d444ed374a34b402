using Microsoft.Extensions.Logging;

namespace Bot.Web;

/// <summary>The web chat's log messages (event ids 7000–7999; the relay between instances 3220–3239).</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Information, "Web chat is serving its page at / ({Access})")]
    public static partial void Started(ILogger logger, string access);

    [LoggerMessage(7001, LogLevel.Information, "Web chat refused a request from {Address}: {Reason}")]
    public static partial void Refused(ILogger logger, string? address, string reason);

    [LoggerMessage(7002, LogLevel.Warning, "Web chat could not save the transcript of thread {Thread}")]
    public static partial void TranscriptSaveFailed(ILogger logger, string thread, Exception exception);

    [LoggerMessage(7003, LogLevel.Information, "Web chat refused an upload in thread {Thread}: {Reason}")]
    public static partial void UploadRefused(ILogger logger, string thread, string reason);

    [LoggerMessage(7004, LogLevel.Warning, "Web chat could not read the transcript of thread {Thread}; it starts empty")]
    public static partial void TranscriptLoadFailed(ILogger logger, string thread, Exception exception);

    [LoggerMessage(7005, LogLevel.Warning, "Web chat turn in thread {Thread} ended with an error")]
    public static partial void TurnWaitFailed(ILogger logger, string thread, Exception exception);

    [LoggerMessage(3220, LogLevel.Warning, "Web chat could not pass {Count} events of its pages to the other instances; their pages miss them")]
    public static partial void RelayWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(3221, LogLevel.Warning, "Web chat could not read the events of other instances; it tries again")]
    public static partial void RelayReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(3222, LogLevel.Warning, "Web chat could not forget thread {Thread} in the store")]
    public static partial void ThreadDeleteFailed(ILogger logger, string thread, Exception exception);
}
