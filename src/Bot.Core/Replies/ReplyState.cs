using System.Text;
using Bot.Core.Attachments;

namespace Bot.Core.Replies;

/// <summary>
/// The reply of one turn, owned by that turn: assistant events fold into it, and anyone (the progressive reply on
/// its own task) may take an immutable <see cref="ReplySnapshot"/> at any time. Thread-safe by construction: every
/// member takes the state's own private lock, and nothing outside can lock it or reach its mutable parts.
/// </summary>
public sealed partial class ReplyState
{
    private readonly Lock _lock = new();
    private readonly List<string> _notices = [];
    private readonly List<Part> _parts = [];
    private readonly List<ReplyCitation> _citations = [];
    private readonly Dictionary<string, int> _numberBySource = new(StringComparer.Ordinal);
    private readonly List<OutputFile> _files = [];
    private readonly List<string> _fileNotes = [];
    private readonly HashSet<string> _fileIds = new(StringComparer.Ordinal);
    private readonly HashSet<ToolKind> _failedTools = [];
    private ToolStatus? _status;
    private ReplyEnding? _ending;
    private ReplySnapshot? _snapshot; // the last one handed out, until something changes

    /// <summary>How the turn ended, once <see cref="Finish"/> was called.</summary>
    public ReplyEnding? Ending
    {
        get
        {
            lock (_lock)
                return _ending;
        }
    }

    /// <summary>Adds a line shown above the answer (for example a skipped attachment).</summary>
    public void AddNotice(string notice)
    {
        lock (_lock)
        {
            _notices.Add(notice);
            _snapshot = null;
        }
    }

    /// <summary>Applies one event. Returns true when what a channel may show changed.</summary>
    public bool Apply(AssistantEvent assistantEvent)
    {
        lock (_lock)
        {
            var changed = ApplyLocked(assistantEvent);
            if (changed)
                _snapshot = null;
            return changed;
        }
    }

    /// <summary>Ends the reply: the status is cleared and later snapshots are final. The first ending given counts.</summary>
    public void Finish(ReplyEnding ending)
    {
        lock (_lock)
        {
            _ending ??= ending;
            _status = null;
            _preview = null;
            _snapshot = null;
        }
    }

    /// <summary>The reply as it is now.</summary>
    public ReplySnapshot Snapshot()
    {
        lock (_lock)
        {
            return _snapshot ??= new ReplySnapshot(
                [.. _notices],
                [.. _parts.Where(p => p.Text.Length > 0).Select(p => new ReplyTextPart(p.Text.ToString(), [.. p.Markers]))],
                [.. _citations],
                _status,
                [.. _files],
                _ending is null ? [] : [.. _fileNotes],
                _ending,
                _ending is not null) { Preview = _preview };
        }
    }

    private bool ApplyLocked(AssistantEvent assistantEvent)
    {
        switch (assistantEvent)
        {
            case TextDelta delta when delta.Text.Length > 0:
                PartOf(delta.PartId).Text.Append(delta.Text);
                _status = null;
                return true;
            case TextPartCompleted completed:
                var part = PartOf(completed.PartId);
                if (part.Text.Equals(completed.Text))
                    return false;
                part.Text.Clear().Append(completed.Text);
                return true;
            case FileCitation file:
                return Mark(file.PartId, file.Index, "file:" + file.FileId,
                    number => new ReplyCitation(number, CitationKind.File, string.IsNullOrWhiteSpace(file.FileName) ? file.FileId : file.FileName,
                        FileId: file.FileId, Quote: string.IsNullOrEmpty(file.Quote) ? null : file.Quote));
            case UrlCitation url:
                return Mark(url.PartId, url.Index, "url:" + url.Url,
                    number => new ReplyCitation(number, CitationKind.Url, string.IsNullOrWhiteSpace(url.Title) ? url.Url : url.Title, Url: url.Url));
            case ToolActivity activity:
                var status = activity.Running ? new ToolStatus(activity.Tool, activity.FunctionName) : null;
                if (status == _status)
                    return false;
                _status = status;
                return true;
            case ToolFailed failed when _failedTools.Add(failed.Tool):
                _notices.Add(ToolFailureNotice(failed.Tool));
                DropPreviewOf(failed.Tool);
                return true;
            case PartialImageReady partial:
                return ShowPreview(partial);
            case OutputFileReady ready when _fileIds.Add(ready.RemoteFileId):
                _files.Add(ready.File);
                return false; // files go out with the final state
            case OutputFileTooLarge tooLarge when _fileIds.Add(tooLarge.RemoteFileId):
                _fileNotes.Add($"📎 {tooLarge.FileName} is larger than {AttachmentPolicy.FormatSize(tooLarge.Limit)}, the most the bot downloads, so it is not attached.");
                return false;
            default:
                return false;
        }
    }

    private static string ToolFailureNotice(ToolKind tool) => tool switch
    {
        ToolKind.WebSearch => "⚠️ The web search failed, so this answer does not draw on it.",
        ToolKind.ImageGeneration => "⚠️ The image could not be made.",
        ToolKind.Mcp => "⚠️ A remote tool failed, so there is no answer from it.",
        _ => "⚠️ A tool failed, so this answer does without it.",
    };

    // A source keeps its number however often it is cited; each citation adds a marker (the same one twice adds nothing).
    private bool Mark(string partId, int index, string source, Func<int, ReplyCitation> create)
    {
        if (!_numberBySource.TryGetValue(source, out var number))
        {
            number = _citations.Count + 1;
            _citations.Add(create(number));
            _numberBySource[source] = number;
        }

        var marker = new CitationMarker(index, number);
        var markers = PartOf(partId).Markers;
        if (markers.Contains(marker))
            return false;
        markers.Add(marker);
        return true;
    }

    private Part PartOf(string id)
    {
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            if (_parts[i].Id == id)
                return _parts[i];
        }

        var part = new Part(id);
        _parts.Add(part);
        return part;
    }

    private sealed class Part(string id)
    {
        public string Id { get; } = id;
        public StringBuilder Text { get; } = new();
        public List<CitationMarker> Markers { get; } = [];
    }
}
