using Microsoft.Extensions.Logging;

namespace Bot.OpenAI;

/// <summary>The OpenAI backends' log messages (event ids 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "Created remote conversation {ConversationId} for {Conversation}")]
    public static partial void ConversationCreated(ILogger logger, string conversationId, string conversation);

    [LoggerMessage(2001, LogLevel.Information, "Created vector store {VectorStoreId} for {Conversation}")]
    public static partial void VectorStoreCreated(ILogger logger, string vectorStoreId, string conversation);

    [LoggerMessage(2002, LogLevel.Warning, "Generated file {FileId} in container {ContainerId} could not be downloaded")]
    public static partial void OutputDownloadFailed(ILogger logger, string fileId, string containerId, Exception exception);

    [LoggerMessage(2003, LogLevel.Debug, "Response {ResponseId} asks for {Count} function calls (round {Round})")]
    public static partial void FunctionCalls(ILogger logger, string responseId, int count, int round);

    [LoggerMessage(2004, LogLevel.Warning, "File {FileId} was not indexed for file search: {Status}")]
    public static partial void FileNotIndexed(ILogger logger, string fileId, string status);

    [LoggerMessage(2005, LogLevel.Debug, "Skipped a code interpreter image output that is not a data URL ({Scheme})")]
    public static partial void ImageOutputSkipped(ILogger logger, string scheme);
}
