using System.Text;

namespace Bot.Core.Tools.Approvals;

/// <summary>
/// Makes the remote parts of a question (tool name, arguments) safe to show as text: control and direction-override
/// characters become U+FFFD, and long text is cut. Channels add their own escaping (Markdown, card templates) on top.
/// </summary>
public static class ApprovalDisplay
{
    /// <summary>The mark that ends a cut text.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> with every control character (tabs and, when <paramref name="multiline"/>, line breaks
    /// excepted; otherwise a line break becomes a space) and every bidirectional formatting character replaced.
    /// </summary>
    public static string Plain(string text, bool multiline)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            plain.Append(c switch
            {
                '\t' => c,
                '\n' => multiline ? c : ' ',
                '\r' => multiline ? c : ' ',
                _ when char.IsControl(c) || IsBidiControl(c) => '\uFFFD',
                _ => c,
            });
        }

        return plain.ToString();
    }

    /// <summary><paramref name="text"/> at most <paramref name="maxLength"/> characters long, ending in <see cref="Ellipsis"/> when cut (never inside a surrogate pair).</summary>
    public static string Cut(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Ellipsis.Length);
        if (text.Length <= maxLength)
            return text;
        var keep = maxLength - Ellipsis.Length;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            keep--;
        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }

    // LRM/RLM, the embeddings and overrides (U+202A–U+202E) and the isolates (U+2066–U+2069) reorder what follows them.
    private static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u061C';
}
