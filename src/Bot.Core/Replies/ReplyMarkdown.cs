using System.Text;

namespace Bot.Core.Replies;

/// <summary>
/// The Markdown layout most presenters share: notices, the answer as the model wrote it (optionally with
/// <c>[n]</c> citation markers at the cited positions), a line for an empty answer, the file notes and the ending
/// sentence; and numbered footnotes. A presenter composes these; nothing reads the result back.
/// </summary>
public static class ReplyMarkdown
{
    /// <summary>
    /// The usual layout of a channel that edits its messages: <c>[n]</c> markers in the text, footnotes (each written by
    /// <paramref name="footnote"/>) in the final state, the tool status as an italic line while the answer is written.
    /// </summary>
    public static ReplyPresentation Editable(ReplySnapshot snapshot, Func<ReplyCitation, string> footnote)
    {
        var text = Body(snapshot, inlineMarkers: true);
        if (snapshot.IsFinal)
            AppendFootnotes(text, snapshot.Citations, footnote);
        var trailer = !snapshot.IsFinal && snapshot.Status is { } status ? $"_{EscapeInline(status.Text)}_" : null;
        return new ReplyPresentation(text.ToString(), trailer);
    }

    /// <summary>
    /// Text from configuration or the model (a server label, a function name) made literal inside one line of Markdown:
    /// emphasis, code, strike, spoiler and escape characters get a backslash; line breaks become spaces.
    /// </summary>
    public static string EscapeInline(string text)
    {
        if (text.AsSpan().IndexOfAny(s_inlineSpecials) < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
                escaped.Append(' ');
            else if (s_inlineSpecials.Contains(c))
                escaped.Append('\\').Append(c);
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> s_inlineSpecials = System.Buffers.SearchValues.Create("\\*_`~|[]<>@#\r\n");

    /// <summary>A web page as a Markdown link (brackets in its title escaped), a file by its name.</summary>
    public static string LinkedSource(ReplyCitation citation, bool suppressPreview) =>
        citation.Kind == CitationKind.Url && citation.Url is { } url
            ? $"[{citation.Title.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal)}]" +
              (suppressPreview ? $"(<{url.Replace(">", "%3E", StringComparison.Ordinal)}>)" : $"({url.Replace(")", "%29", StringComparison.Ordinal)})")
            : citation.Title;

    /// <summary>The reply's text. <paramref name="inlineMarkers"/> puts <c>[n]</c> where a part cites a source.</summary>
    public static StringBuilder Body(ReplySnapshot snapshot, bool inlineMarkers)
    {
        var text = new StringBuilder();
        foreach (var notice in snapshot.Notices)
            Separate(text, "\n").Append(notice);

        foreach (var part in snapshot.Parts)
        {
            Separate(text, "\n\n");
            AppendPart(text, part, inlineMarkers);
        }

        if (snapshot.IsFinal && !snapshot.HasText && snapshot.Notices.Count == 0 && snapshot.Ending?.Sentence is null
            && (snapshot.Files.Count > 0 || snapshot.FileNotes.Count == 0))
            text.Append(snapshot.Files.Count > 0 ? "Here is what I made." : "(The assistant finished without an answer.)");

        foreach (var note in snapshot.FileNotes)
            Separate(text, "\n\n").Append(note);
        if (snapshot.Ending?.Sentence is { } sentence)
            Separate(text, "\n\n").Append(sentence);
        while (text.Length > 0 && char.IsWhiteSpace(text[^1]))
            text.Length--;
        return text;
    }

    /// <summary>Appends one line per source, "[n] " and <paramref name="line"/>, after a blank line.</summary>
    public static StringBuilder AppendFootnotes(StringBuilder text, IReadOnlyList<ReplyCitation> citations, Func<ReplyCitation, string> line)
    {
        for (var i = 0; i < citations.Count; i++)
        {
            Separate(text, i == 0 ? "\n\n" : "\n");
            text.Append('[').Append(citations[i].Number).Append("] ").Append(line(citations[i]));
        }

        return text;
    }

    /// <summary>A footnote that names the source: the file name, or the page title with its address.</summary>
    public static string PlainSource(ReplyCitation citation) =>
        citation.Kind == CitationKind.Url && citation.Url is { } url && citation.Title != url ? $"{citation.Title} <{url}>" : citation.Title;

    private static StringBuilder Separate(StringBuilder text, string separator) => text.Length == 0 ? text : text.Append(separator);

    private static void AppendPart(StringBuilder text, ReplyTextPart part, bool inlineMarkers)
    {
        var body = part.Text;
        if (!inlineMarkers || part.Markers.Count == 0)
        {
            text.Append(body);
            return;
        }

        var position = 0;
        foreach (var marker in part.Markers.OrderBy(m => m.Index).ThenBy(m => m.Number))
        {
            var at = Math.Clamp(marker.Index, position, body.Length);
            text.Append(body, position, at - position).Append('[').Append(marker.Number).Append(']');
            position = at;
        }

        text.Append(body, position, body.Length - position);
    }
}
