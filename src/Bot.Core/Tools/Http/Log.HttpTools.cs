using Microsoft.Extensions.Logging;

namespace Bot.Core;

// The HTTP tools' messages (event ids 1200–1219). Header values and arguments are never logged.
internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Debug, "HTTP tool {Name} called {Method} {Host}: {Status}")]
    public static partial void HttpToolCalled(ILogger logger, string name, string method, string host, int status);

    [LoggerMessage(1201, LogLevel.Warning, "HTTP tool {Name} called {Method} {Host}, which answered {Status}")]
    public static partial void HttpToolFailed(ILogger logger, string name, string method, string host, int status);

    [LoggerMessage(1202, LogLevel.Warning, "HTTP tool {Name}: {Host} did not answer within {Timeout}")]
    public static partial void HttpToolTimedOut(ILogger logger, string name, string host, TimeSpan timeout);

    [LoggerMessage(1203, LogLevel.Warning, "HTTP tool {Name} could not reach {Host}")]
    public static partial void HttpToolUnreachable(ILogger logger, string name, string host, Exception exception);

    [LoggerMessage(1204, LogLevel.Information, "HTTP tool {Name}: the model's arguments did not fit the schema ({Problems} problems); no request made")]
    public static partial void HttpToolArgumentsRejected(ILogger logger, string name, int problems);
}
