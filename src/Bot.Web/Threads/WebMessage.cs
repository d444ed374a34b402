using System.Text.Json.Serialization;

namespace Bot.Web.Threads;

/// <summary>A source an assistant message cites, numbered like the <c>[n]</c> markers in its text.</summary>
/// <param name="Number">The marker's number.</param>
/// <param name="Kind">"file" or "url".</param>
/// <param name="Title">The file name or the page title.</param>
/// <param name="Url">The page's address (web citations).</param>
/// <param name="Quote">The cited passage, when known.</param>
public sealed record WebCitation(int Number, string Kind, string Title, string? Url = null, string? Quote = null);

/// <summary>A file shown with a message: an upload (no id, not served back) or a generated file the bot serves.</summary>
public sealed record WebFile(string? Id, string Name, string MediaType, long Size);

/// <summary>One message of a web conversation as the page shows it.</summary>
/// <param name="Id">"u-…" for the visitor's messages, "a-…" for the assistant's.</param>
/// <param name="Role">"user" or "assistant".</param>
/// <param name="Text">Plain text (user) or Markdown (assistant).</param>
/// <param name="Files">Attached or generated files.</param>
/// <param name="At">When it was written.</param>
/// <param name="Citations">The sources an assistant message cites (the page lists them under the text); null when none.</param>
/// <param name="Preview">The latest partial image of an image being drawn (served like a generated file); null when none.</param>
public sealed record WebMessage(string Id, string Role, string Text, IReadOnlyList<WebFile> Files, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WebCitation>? Citations = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WebFile? Preview = null)
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

/// <summary>An event pushed to the pages watching a thread (the server-sent event's name and its JSON data).</summary>
internal sealed record WebEvent(string Type, object Data);

/// <summary>What a page needs to show a thread: its messages and whether an answer is being written.</summary>
/// <param name="Thread">The thread id.</param>
/// <param name="Running">True while a turn is queued or running.</param>
/// <param name="Status">The tool status shown now ("Running code…"), or null.</param>
/// <param name="Messages">The transcript.</param>
/// <param name="Steps">Every status the current (or last) turn of this process showed, in order; kept after the turn ends.</param>
/// <param name="Approvals">The approval questions still open; null when none.</param>
public sealed record ThreadSnapshot(string Thread, bool Running, string? Status, IReadOnlyList<WebMessage> Messages, IReadOnlyList<string>? Steps = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WebApproval>? Approvals = null);
