using System.Text;
using System.Text.RegularExpressions;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Channels;

namespace Bot.Core.Replies;

/// <summary>
/// Folds a turn's assistant events into what the user sees: notices about skipped files, the answer's
/// text parts with citation markers, a tool status while a tool works, numbered footnotes naming the
/// cited files, the generated files, and how the turn ended.
/// </summary>
public sealed partial class ReplyDraft
{
    private readonly List<string> _notices = [];
    private readonly List<TextPart> _parts = [];
    private readonly Dictionary<string, int> _footnoteByFile = new(StringComparer.Ordinal);
    private readonly List<string> _footnotes = [];
    private readonly List<OutputFile> _files = [];
    private readonly List<string> _fileNotes = [];
    private readonly HashSet<string> _fileIds = new(StringComparer.Ordinal);
    private readonly bool _inlineMarkers;

    /// <param name="inlineMarkers">Put citation markers into the text (false for append-only channels).</param>
    public ReplyDraft(bool inlineMarkers = true) => _inlineMarkers = inlineMarkers;

    /// <summary>The tool status to show now ("Running code…"), or null.</summary>
    public string? Status { get; private set; }

    /// <summary>A closing line that says how the turn ended when it did not simply complete.</summary>
    public string? Ending { get; set; }

    /// <summary>Files the assistant generated.</summary>
    public IReadOnlyList<OutputFile> Files => _files;

    /// <summary>Adds a line shown above the answer (for example a skipped attachment).</summary>
    public void AddNotice(string notice) => _notices.Add(notice);

    /// <summary>Applies one event. Returns true when what the user sees changed.</summary>
    public bool Apply(AssistantEvent assistantEvent)
    {
        switch (assistantEvent)
        {
            case TextDelta delta when delta.Text.Length > 0:
                Part(delta.PartId).Text.Append(delta.Text);
                Status = null;
                return true;
            case TextPartCompleted completed:
                var part = Part(completed.PartId);
                if (part.Text.Equals(completed.Text))
                    return false;
                part.Text.Clear().Append(completed.Text);
                return true;
            case FileCitation citation:
                var number = Footnote(citation.FileId, citation.FileName);
                Part(citation.PartId).Markers.Add((citation.Index, number));
                return _inlineMarkers;
            case ToolActivity activity:
                var status = activity.Running ? StatusFor(activity) : null;
                if (status == Status)
                    return false;
                Status = status;
                return true;
            case OutputFileReady ready when _fileIds.Add(ready.RemoteFileId):
                _files.Add(ready.File);
                return false;
            case OutputFileTooLarge tooLarge when _fileIds.Add(tooLarge.RemoteFileId):
                _fileNotes.Add($"📎 {tooLarge.FileName} is larger than {AttachmentPolicy.FormatSize(tooLarge.Limit)}, the most the bot downloads, so it is not attached.");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Clears the tool status (the turn ended).</summary>
    public void ClearStatus() => Status = null;

    /// <summary>Renders the reply's text. Footnotes are listed only in the final render.</summary>
    public string Render(bool final)
    {
        var text = new StringBuilder();
        foreach (var notice in _notices)
            text.Append(notice).Append('\n');
        if (_notices.Count > 0)
            text.Append('\n');

        var first = true;
        foreach (var part in _parts)
        {
            if (part.Text.Length == 0)
                continue;
            if (!first)
                text.Append("\n\n");
            first = false;
            AppendPart(text, part, final);
        }

        if (final && first && _notices.Count == 0 && Ending is null && (_files.Count > 0 || _fileNotes.Count == 0))
        {
            text.Append(_files.Count > 0 ? "Here is what I made." : "(The assistant finished without an answer.)");
            first = false;
        }

        // Like the files, these notes belong to the final reply: an append-only channel then sees the text only grow.
        if (final)
        {
            foreach (var note in _fileNotes)
            {
                text.Append(first && _notices.Count == 0 ? "" : "\n\n").Append(note);
                first = false;
            }
        }

        if (Ending is not null)
            text.Append(first && _notices.Count == 0 ? "" : "\n\n").Append(Ending);

        if (final && _footnotes.Count > 0)
        {
            text.Append("\n\n");
            for (var i = 0; i < _footnotes.Count; i++)
                text.Append(i == 0 ? "" : "\n").Append('[').Append(i + 1).Append("] ").Append(_footnotes[i]);
        }

        return text.ToString().TrimEnd();
    }

    private void AppendPart(StringBuilder text, TextPart part, bool final)
    {
        var body = part.Text.ToString();
        if (final && body.Contains("sandbox:", StringComparison.Ordinal))
            body = SandboxLink().Replace(body, "$1 (attached)");
        if (!_inlineMarkers || part.Markers.Count == 0)
        {
            text.Append(body);
            return;
        }

        var position = 0;
        foreach (var (index, number) in part.Markers.Distinct().OrderBy(m => m.Index).ThenBy(m => m.Number))
        {
            var at = Math.Clamp(index, position, body.Length);
            text.Append(body, position, at - position).Append('[').Append(number).Append(']');
            position = at;
        }

        text.Append(body, position, body.Length - position);
    }

    private int Footnote(string fileId, string fileName)
    {
        if (_footnoteByFile.TryGetValue(fileId, out var number))
            return number;
        _footnotes.Add(string.IsNullOrWhiteSpace(fileName) ? fileId : fileName);
        number = _footnotes.Count;
        _footnoteByFile[fileId] = number;
        return number;
    }

    private TextPart Part(string id)
    {
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            if (_parts[i].Id == id)
                return _parts[i];
        }

        var part = new TextPart(id);
        _parts.Add(part);
        return part;
    }

    private static string StatusFor(ToolActivity activity) => activity.Tool switch
    {
        ToolKind.CodeInterpreter => "Running code…",
        ToolKind.FileSearch => "Searching files…",
        _ => activity.FunctionName is { Length: > 0 } name ? $"Calling {name}…" : "Calling a tool…",
    };

    // [label](sandbox:/mnt/data/file.png): the file is attached instead, so keep only the label.
    [GeneratedRegex(@"\[([^\]\n]+)\]\(sandbox:[^)\s]*\)")]
    private static partial Regex SandboxLink();

    private sealed class TextPart(string id)
    {
        public string Id { get; } = id;
        public StringBuilder Text { get; } = new();
        public List<(int Index, int Number)> Markers { get; } = [];
    }
}
