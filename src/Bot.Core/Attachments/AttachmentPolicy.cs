using Bot.Core.Conversations;

namespace Bot.Core.Attachments;

/// <summary>The policy's verdict on one attachment: a target, or the reason it is refused.</summary>
public sealed record AttachmentDecision(IncomingAttachment Attachment, AttachmentTarget? Target, string? Refusal)
{
    public bool Accepted => Target is not null;
}

/// <summary>
/// Decides per file where an attachment goes (code interpreter, file search, vision) or why it is
/// refused, from its extension, its size and which tools are switched on.
/// </summary>
public sealed class AttachmentPolicy
{
    // Extensions per tool, from OpenAI's supported-file tables (reference/openai.md §5).
    private static readonly HashSet<string> s_images = Set(".png", ".jpg", ".jpeg", ".gif", ".webp");

    private static readonly HashSet<string> s_data = Set(
        ".csv", ".tsv", ".xlsx", ".xls", ".json", ".jsonl", ".xml", ".zip", ".tar", ".parquet", ".pkl", ".sqlite", ".db");

    private static readonly HashSet<string> s_documents = Set(
        ".pdf", ".doc", ".docx", ".pptx", ".md", ".txt", ".html", ".htm", ".tex", ".css",
        ".c", ".cs", ".cpp", ".h", ".hpp", ".java", ".js", ".ts", ".py", ".rb", ".php", ".sh", ".go", ".rs", ".kt", ".swift", ".sql", ".yaml", ".yml");

    private readonly AttachmentOptions _options;
    private readonly bool _codeInterpreter;
    private readonly bool _fileSearch;

    public AttachmentPolicy(AttachmentOptions options, bool codeInterpreterEnabled, bool fileSearchEnabled)
    {
        _options = options;
        _codeInterpreter = codeInterpreterEnabled;
        _fileSearch = fileSearchEnabled;
    }

    /// <summary>Largest size accepted for a file going to <paramref name="target"/>.</summary>
    public long MaxBytes(AttachmentTarget target) =>
        target == AttachmentTarget.Vision ? _options.MaxImageBytes : _options.MaxFileBytes;

    /// <summary>Decides for every attachment of one message, in order.</summary>
    public IReadOnlyList<AttachmentDecision> Decide(IReadOnlyList<IncomingAttachment> attachments)
    {
        var decisions = new List<AttachmentDecision>(attachments.Count);
        foreach (var attachment in attachments)
        {
            decisions.Add(decisions.Count(d => d.Accepted) >= _options.MaxFilesPerMessage
                ? Refuse(attachment, $"only {_options.MaxFilesPerMessage} files are read per message")
                : Decide(attachment));
        }

        return decisions;
    }

    /// <summary>Decides for one attachment.</summary>
    public AttachmentDecision Decide(IncomingAttachment attachment)
    {
        if (attachment.SizeBytes == 0)
            return Refuse(attachment, "the file is empty");

        var extension = Path.GetExtension(attachment.FileName).ToLowerInvariant();
        AttachmentTarget? target = extension switch
        {
            _ when s_images.Contains(extension) => AttachmentTarget.Vision,
            _ when s_data.Contains(extension) && _codeInterpreter => AttachmentTarget.CodeInterpreter,
            _ when s_documents.Contains(extension) && _fileSearch => AttachmentTarget.FileSearch,
            _ when s_documents.Contains(extension) && _codeInterpreter => AttachmentTarget.CodeInterpreter,
            _ => null,
        };

        if (target is null)
        {
            var known = s_data.Contains(extension) || s_documents.Contains(extension);
            return Refuse(attachment, known
                ? "the tool that reads this kind of file is switched off"
                : $"{(extension.Length == 0 ? "files without an extension" : $"{extension} files")} are not supported");
        }

        var max = MaxBytes(target.Value);
        if (attachment.SizeBytes > max)
            return Refuse(attachment, $"it is {FormatSize(attachment.SizeBytes.Value)}, over the {FormatSize(max)} limit");

        return new AttachmentDecision(attachment, target, null);
    }

    /// <summary>Formats a byte count for people ("3.2 MB").</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.#} GB",
    };

    private static AttachmentDecision Refuse(IncomingAttachment attachment, string reason) => new(attachment, null, reason);

    private static HashSet<string> Set(params string[] items) => new(items, StringComparer.Ordinal);
}
