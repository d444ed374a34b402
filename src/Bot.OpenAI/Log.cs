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

    [LoggerMessage(2006, LogLevel.Information, "Created assistant {AssistantId} (model {Model})")]
    public static partial void AssistantCreated(ILogger logger, string assistantId, string model);

    [LoggerMessage(2007, LogLevel.Information, "Updated assistant {AssistantId} to the configured model, instructions and tools")]
    public static partial void AssistantUpdated(ILogger logger, string assistantId);

    [LoggerMessage(2008, LogLevel.Information, "Created thread {ThreadId} for {Conversation}")]
    public static partial void ThreadCreated(ILogger logger, string threadId, string conversation);

    [LoggerMessage(2009, LogLevel.Warning, "Thread {ThreadId} had an active run {RunId} ({Status}); cancelling it before the next message")]
    public static partial void CancellingLeftoverRun(ILogger logger, string threadId, string runId, string status);

    [LoggerMessage(2010, LogLevel.Warning, "Run {RunId} on thread {ThreadId} could not be cancelled")]
    public static partial void RunCancelFailed(ILogger logger, string runId, string threadId, Exception exception);

    [LoggerMessage(2011, LogLevel.Warning, "The stream of run {RunId} ended without a terminal event; its status is {Status}")]
    public static partial void RunStreamCut(ILogger logger, string runId, string status);

    [LoggerMessage(2012, LogLevel.Warning, "Generated file {FileId} could not be downloaded")]
    public static partial void AssistantFileDownloadFailed(ILogger logger, string fileId, Exception exception);

    [LoggerMessage(2013, LogLevel.Debug, "Run {RunId} asks for {Count} function calls (round {Round})")]
    public static partial void RunFunctionCalls(ILogger logger, string runId, int count, int round);

    [LoggerMessage(2014, LogLevel.Warning, "Assistant {AssistantId} no longer exists at the service; creating it again")]
    public static partial void AssistantMissing(ILogger logger, string assistantId);

    [LoggerMessage(2015, LogLevel.Warning, "Thread {ThreadId} of {Conversation} no longer exists at the service; starting a new thread")]
    public static partial void ThreadMissing(ILogger logger, string threadId, string conversation);

    [LoggerMessage(2016, LogLevel.Warning, "Generated file {FileId} ({FileName}) is larger than {Limit} bytes (OpenAI:MaxOutputFileBytes); it was not downloaded")]
    public static partial void OutputFileTooLarge(ILogger logger, string fileId, string fileName, long limit);

    [LoggerMessage(2017, LogLevel.Warning, "The endpoint {Endpoint} rejected server-side compaction (context_management, OpenAI:CompactThreshold); " +
        "until the bot restarts, its requests ask for truncation: auto instead")]
    public static partial void CompactionUnsupported(ILogger logger, string endpoint);

    [LoggerMessage(2018, LogLevel.Warning, "The Assistants API has no web search: OpenAI:Tools:WebSearch is ignored")]
    public static partial void WebSearchIgnored(ILogger logger);
}
