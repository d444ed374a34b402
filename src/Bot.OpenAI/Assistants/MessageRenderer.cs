using System.Text;
using System.Text.RegularExpressions;
using Bot.Core.Backends;
using OpenAI.Assistants;

namespace Bot.OpenAI.Assistants;

/// <summary>A generated file a finished message refers to, still to be downloaded.</summary>
internal sealed record GeneratedFile(string FileId, string? FileName);

/// <summary>A text part of a finished message with its citation markers taken out.</summary>
internal sealed record RenderedPart(string PartId, string Text, IReadOnlyList<(int Index, string FileId)> Citations);

/// <summary>
/// Reads a finished assistant message (openai.md §4): each text part loses its file-search markers
/// (<c>【4:0†report.pdf】</c>), whose positions become citations of the cited file; <c>file_path</c>
/// annotations and <c>image_file</c> parts name generated files to download; links into the sandbox keep only their
/// label (<see cref="OutputText.WithoutSandboxLinks"/>).
/// </summary>
internal static partial class MessageRenderer
{
    public static (List<RenderedPart> Parts, List<GeneratedFile> Files) Render(ThreadMessage message, RunStreamTranslator translator)
    {
        var parts = new List<RenderedPart>();
        var files = new List<GeneratedFile>();
        for (var index = 0; index < message.Content.Count; index++)
        {
            var content = message.Content[index];
            if (content.ImageFileId is { } imageId)
            {
                files.Add(new GeneratedFile(imageId, null));
                continue;
            }

            var text = content.Text ?? content.Refusal;
            if (text is null)
                continue;
            var annotations = content.TextAnnotations ?? [];
            foreach (var annotation in annotations)
            {
                if (annotation.OutputFileId is { } outputId)
                    files.Add(new GeneratedFile(outputId, FileNameOf(annotation.TextToReplace)));
            }

            parts.Add(Clean(translator.PartId(message.Id, index), text, annotations));
        }

        return (parts, files);
    }

    private static RenderedPart Clean(string partId, string text, IReadOnlyList<TextAnnotation> annotations)
    {
        // Ranges to cut: every citation's marker (found by its position, or by its text if the position drifted)
        // and any other 【…】 marker the model left without an annotation.
        var cuts = new List<(int Start, int Length, string? FileId)>();
        foreach (var annotation in annotations.Where(a => a.InputFileId is not null && !string.IsNullOrEmpty(a.TextToReplace)))
        {
            var marker = annotation.TextToReplace;
            var start = annotation.StartIndex;
            if (start < 0 || start + marker.Length > text.Length || string.CompareOrdinal(text, start, marker, 0, marker.Length) != 0)
                start = text.IndexOf(marker, StringComparison.Ordinal);
            if (start >= 0 && !cuts.Exists(c => c.Start == start))
                cuts.Add((start, marker.Length, annotation.InputFileId));
        }

        foreach (Match match in Marker().Matches(text))
        {
            if (!cuts.Exists(c => match.Index < c.Start + c.Length && c.Start < match.Index + match.Length))
                cuts.Add((match.Index, match.Length, null));
        }

        if (cuts.Count == 0)
            return new RenderedPart(partId, OutputText.WithoutSandboxLinks(text).Text, []);

        cuts.Sort((a, b) => a.Start.CompareTo(b.Start));
        var cleaned = new StringBuilder(text.Length);
        var citations = new List<(int, string)>();
        var position = 0;
        foreach (var (start, length, fileId) in cuts)
        {
            if (start < position)
                continue;
            cleaned.Append(text, position, start - position);
            if (fileId is not null)
                citations.Add((cleaned.Length, fileId));
            position = start + length;
        }

        cleaned.Append(text, position, text.Length - position);
        var rewrite = OutputText.WithoutSandboxLinks(cleaned.ToString());
        return new RenderedPart(partId, rewrite.Text, [.. citations.Select(c => (rewrite.Map(c.Item1), c.Item2))]);
    }

    // "sandbox:/mnt/data/out.csv" → "out.csv"
    private static string? FileNameOf(string? sandboxPath)
    {
        if (string.IsNullOrEmpty(sandboxPath))
            return null;
        var name = sandboxPath[(sandboxPath.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? null : name;
    }

    /// <summary>Whether a streamed text delta is a whole citation marker (the service sends each as a delta of its own).</summary>
    public static bool IsMarker(string delta) => delta.Length > 2 && delta[0] == '【' && delta[^1] == '】' && delta.IndexOf('】') == delta.Length - 1;

    [GeneratedRegex("【[^】]*】")]
    private static partial Regex Marker();
}
