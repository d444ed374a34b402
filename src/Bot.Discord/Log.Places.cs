using Microsoft.Extensions.Logging;

namespace Bot.Discord;

// Places, per-place rules and the admin commands (event ids 5100–5149).
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Warning, "The parent channel of thread {ThreadId} could not be fetched; its settings resolve from the server")]
    public static partial void ThreadParentUnknown(ILogger logger, string threadId, Exception exception);

    [LoggerMessage(5101, LogLevel.Debug, "Discord message {MessageId} from user {UserId} not answered: the allow-lists of {PlaceId} leave them out")]
    public static partial void PlaceRefused(ILogger logger, string messageId, string userId, string placeId);

    [LoggerMessage(5102, LogLevel.Information, "Discord user {UserId} refused /{Command} at {PlaceId}: no Manage Server permission")]
    public static partial void CommandRefused(ILogger logger, string userId, string command, string placeId);

    [LoggerMessage(5103, LogLevel.Information, "Discord user {UserId} ran /{Command} {Setting} at {PlaceId}")]
    public static partial void SettingChanged(ILogger logger, string userId, string command, string? setting, string placeId);
}
