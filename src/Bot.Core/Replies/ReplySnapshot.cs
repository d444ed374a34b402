namespace Bot.Core.Replies;

/// <summary>
/// What a reply is at one moment, as structure: the channel's presenter lays it out, nothing parses it back. Immutable;
/// a turn's <see cref="ReplyState"/> hands out a new one after every change.
/// </summary>
/// <param name="Notices">Lines shown above the answer (a skipped attachment, a backend switch).</param>
/// <param name="Parts">The answer's text parts in order, each with its citation markers.</param>
/// <param name="Citations">The cited sources, numbered from 1 in order of first citation.</param>
/// <param name="Status">The tool working now, or null.</param>
/// <param name="Files">Generated files ready to deliver (delivered with the final state).</param>
/// <param name="FileNotes">Sentences about generated files that cannot be delivered (final state only).</param>
/// <param name="Ending">How the turn ended; null while it runs.</param>
/// <param name="IsFinal">True for the last state of the reply.</param>
public sealed record ReplySnapshot(
    IReadOnlyList<string> Notices,
    IReadOnlyList<ReplyTextPart> Parts,
    IReadOnlyList<ReplyCitation> Citations,
    ToolStatus? Status,
    IReadOnlyList<OutputFile> Files,
    IReadOnlyList<string> FileNotes,
    ReplyEnding? Ending,
    bool IsFinal)
{
    /// <summary>A reply with nothing in it yet.</summary>
    public static ReplySnapshot Empty { get; } = new([], [], [], null, [], [], null, false);

    /// <summary>A one-off final reply that only says how something ended (a restart's notice).</summary>
    public static ReplySnapshot Notice(ReplyEnding ending) => Empty with { Ending = ending, IsFinal = true };

    /// <summary>True when the answer has any text.</summary>
    public bool HasText => Parts.Any(p => p.Text.Length > 0);

    /// <summary>The latest partial image of an image being drawn, while the turn runs (never in a final state).</summary>
    public ImagePreview? Preview { get; init; }
}

/// <summary>One text part of the answer exactly as the model wrote it, with where citations point into it.</summary>
public sealed record ReplyTextPart(string Text, IReadOnlyList<CitationMarker> Markers);

/// <summary>A citation at a character position of a text part: <paramref name="Number"/> is its <see cref="ReplyCitation.Number"/>.</summary>
public readonly record struct CitationMarker(int Index, int Number);

/// <summary>What kind of source a citation names.</summary>
public enum CitationKind
{
    /// <summary>An uploaded file (file search).</summary>
    File,

    /// <summary>A web page (web search).</summary>
    Url,
}

/// <summary>A cited source.</summary>
/// <param name="Number">Its number, from 1, in order of first citation.</param>
/// <param name="Kind">File or web page.</param>
/// <param name="Title">The file name, or the page title (the URL when the page has none).</param>
/// <param name="FileId">The remote file id of a file citation.</param>
/// <param name="Url">The address of a web page citation.</param>
/// <param name="Quote">The cited passage, when the backend gives one.</param>
public sealed record ReplyCitation(int Number, CitationKind Kind, string Title, string? FileId = null, string? Url = null, string? Quote = null);

/// <summary>
/// A tool at work, as the core knows it; each channel words and places it. <paramref name="FunctionName"/> is the
/// function's name, or for <see cref="ToolKind.Mcp"/> the server's configured label: text from configuration or the
/// model, which channels escape.
/// </summary>
public sealed record ToolStatus(ToolKind Tool, string? FunctionName = null)
{
    /// <summary>The usual short wording ("Running code…").</summary>
    public string Text => Tool switch
    {
        ToolKind.CodeInterpreter => "Running code…",
        ToolKind.FileSearch => "Searching files…",
        ToolKind.WebSearch => "Searching the web…",
        ToolKind.ImageGeneration => "Drawing…",
        ToolKind.Mcp => FunctionName is { Length: > 0 } server ? $"Using {server}…" : "Using a remote tool…",
        ToolKind.Approval => "Waiting for approval…",
        _ => FunctionName is { Length: > 0 } name ? $"Calling {name}…" : "Calling a tool…",
    };
}

/// <summary>How a turn ended.</summary>
public enum ReplyEndingKind
{
    /// <summary>The answer is complete.</summary>
    Completed,

    /// <summary>The answer stopped early (<see cref="ReplyEnding.Reason"/> says why).</summary>
    Incomplete,

    /// <summary>Someone stopped it.</summary>
    Stopped,

    /// <summary>A reset of the conversation stopped it.</summary>
    StoppedByReset,

    /// <summary>The bot is shutting down.</summary>
    ShuttingDown,

    /// <summary>A restart interrupted it (told after the restart).</summary>
    Interrupted,

    /// <summary>It took longer than the turn timeout.</summary>
    TimedOut,

    /// <summary>Nothing to answer: no text and no file.</summary>
    Empty,

    /// <summary>The message is longer than the backend takes.</summary>
    TooLong,

    /// <summary>None of the attached files could be used and there was no text.</summary>
    NothingLeft,

    /// <summary>The backend, the store or the channel failed.</summary>
    Failed,

    /// <summary>Moderation flagged the input: refused before anything was sent to the assistant.</summary>
    Flagged,

    /// <summary>The moderation check failed and moderation fails closed: nothing was sent to the assistant.</summary>
    NotChecked,

    /// <summary>The user's budget is used up: refused before the backend was asked (the sentence names the limit).</summary>
    OverBudget,
}

/// <summary>How a turn ended and the one sentence the user is told about it (null for a complete answer).</summary>
public sealed record ReplyEnding(ReplyEndingKind Kind, string? Sentence = null, IncompleteReason? Reason = null)
{
    /// <summary>A complete answer: nothing to add.</summary>
    public static ReplyEnding Completed { get; } = new(ReplyEndingKind.Completed);
}
