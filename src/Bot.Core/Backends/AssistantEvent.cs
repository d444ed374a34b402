namespace Bot.Core.Backends;

/// <summary>One thing that happened while the assistant answered a turn.</summary>
public abstract record AssistantEvent;

/// <summary>The backend started a remote response or run (its id is recorded with the turn).</summary>
public sealed record ResponseStarted(string ResponseId) : AssistantEvent;

/// <summary>
/// Text appended to one text part of the answer. <paramref name="PartId"/> names the part so that
/// citation positions can refer to it.
/// </summary>
public sealed record TextDelta(string PartId, string Text) : AssistantEvent;

/// <summary>
/// The authoritative text of a finished part. The renderer replaces what the deltas built, so that
/// citation indexes line up with the text they were computed on.
/// </summary>
public sealed record TextPartCompleted(string PartId, string Text) : AssistantEvent;

/// <summary>
/// A citation of an uploaded file at a character position within a text part; <paramref name="Quote"/> is the cited
/// passage when the backend gives one.
/// </summary>
public sealed record FileCitation(string PartId, int Index, string FileId, string FileName, string? Quote = null) : AssistantEvent;

/// <summary>A citation of a web page at a character position within a text part (web search).</summary>
public sealed record UrlCitation(string PartId, int Index, string Url, string? Title = null) : AssistantEvent;

/// <summary>A tool started or finished working.</summary>
public sealed record ToolActivity(ToolKind Tool, bool Running, string? FunctionName = null) : AssistantEvent;

/// <summary>
/// A tool call failed at the service (a web search with status failed) while the answer went on; the reply says so in
/// one sentence, once per tool.
/// </summary>
public sealed record ToolFailed(ToolKind Tool) : AssistantEvent;

/// <summary>A generated file, downloaded and ready to deliver.</summary>
public sealed record OutputFileReady(OutputFile File, string RemoteFileId) : AssistantEvent;

/// <summary>
/// A generated file that was not delivered because it is larger than the backend downloads; the reply names it in a
/// note. <paramref name="Limit"/> is that size in bytes.
/// </summary>
public sealed record OutputFileTooLarge(string FileName, long Limit, string RemoteFileId) : AssistantEvent;

/// <summary>Token usage of one remote response; a turn with function calls reports several.</summary>
public sealed record UsageReported(TokenUsage Usage) : AssistantEvent;

/// <summary>The turn ended. An incomplete answer carries the reason it stopped, mapped by the backend.</summary>
public sealed record TurnFinished(bool Incomplete = false, IncompleteReason Reason = IncompleteReason.Other) : AssistantEvent;

/// <summary>Why an answer stopped before it was complete, in the core's terms (each backend maps its own wording).</summary>
public enum IncompleteReason
{
    /// <summary>No reason the core knows (also a run cancelled on the service's side).</summary>
    Other,

    /// <summary>The answer reached the output token limit.</summary>
    LengthLimit,

    /// <summary>The service's content filter ended the answer.</summary>
    ContentFilter,
}

/// <summary>Kinds of assistant tools whose progress is shown to the user.</summary>
public enum ToolKind
{
    CodeInterpreter,
    FileSearch,
    Function,
    WebSearch,
    ImageGeneration,

    /// <summary>A call on a remote MCP server; the status carries the server's configured label.</summary>
    Mcp,

    /// <summary>The turn waits for a person to approve or deny a remote tool call.</summary>
    Approval,
}

/// <summary>Tokens used by a response.</summary>
/// <param name="InputTokens">Input tokens, cached ones included.</param>
/// <param name="OutputTokens">Output tokens (reasoning included).</param>
/// <param name="CachedInputTokens">The part of <paramref name="InputTokens"/> served from the prompt cache, where reported.</param>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens, long CachedInputTokens = 0)
{
    public long TotalTokens => InputTokens + OutputTokens;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CachedInputTokens + b.CachedInputTokens);
}
