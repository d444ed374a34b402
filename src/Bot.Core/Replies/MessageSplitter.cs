namespace Bot.Core.Replies;

/// <summary>
/// Splits a reply into messages of at most a given length without breaking Markdown code fences: a
/// fence open at a cut is closed at the end of one message and reopened, with its language, at the
/// start of the next. The split is greedy from the start, so as text is appended the earlier
/// messages stay the same (a streaming reply only ever edits its last message and adds new ones).
/// </summary>
public static class MessageSplitter
{
    private const string Fence = "```";
    private const string FenceClose = "\n```";

    /// <summary>Splits <paramref name="text"/> into pieces of at most <paramref name="maxLength"/> characters.</summary>
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 32);
        if (text.Length <= maxLength)
            return [text];

        var pieces = new List<string>();
        string? openLanguage = null; // language of a fence left open by the previous piece ("" = no language)
        var position = 0;
        while (position < text.Length)
        {
            var prefix = openLanguage is null ? "" : Fence + openLanguage + "\n";
            var room = maxLength - prefix.Length;
            if (text.Length - position <= room)
            {
                pieces.Add(prefix + text[position..]);
                break;
            }

            // Leave room to close a fence that may be open at the cut.
            var cut = FindCut(text, position, room - FenceClose.Length);
            var body = text[position..cut];
            var languageAtEnd = FenceStateAfter(body, openLanguage);
            pieces.Add(languageAtEnd is null ? prefix + body : prefix + body + FenceClose);
            openLanguage = languageAtEnd;
            position = SkipOneNewline(text, cut);
        }

        return pieces;
    }

    // The best place to end a piece that starts at `start` and may hold `room` characters.
    private static int FindCut(string text, int start, int room)
    {
        var limit = start + room;
        var floor = start + (room / 2); // don't make pieces much shorter than they could be
        var paragraph = text.LastIndexOf("\n\n", limit - 1, limit - floor, StringComparison.Ordinal);
        if (paragraph > floor)
            return paragraph;
        var line = text.LastIndexOf('\n', limit - 1, limit - floor);
        if (line > floor)
            return line;
        var space = text.LastIndexOf(' ', limit - 1, limit - floor);
        if (space > floor)
            return space;
        return char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }

    private static int SkipOneNewline(string text, int index) =>
        index < text.Length && text[index] == '\n' ? index + 1 : index;

    /// <summary>The language of the fence open after <paramref name="body"/>, or null when none is open.</summary>
    internal static string? FenceStateAfter(string body, string? openLanguage)
    {
        var state = openLanguage;
        var lineStart = 0;
        while (lineStart <= body.Length)
        {
            var lineEnd = body.IndexOf('\n', lineStart);
            if (lineEnd < 0)
                lineEnd = body.Length;
            var line = body.AsSpan(lineStart, lineEnd - lineStart).TrimStart(' ');
            if (line.StartsWith(Fence, StringComparison.Ordinal))
                state = state is null ? line[Fence.Length..].Trim().ToString() : null;
            lineStart = lineEnd + 1;
        }

        return state;
    }
}
