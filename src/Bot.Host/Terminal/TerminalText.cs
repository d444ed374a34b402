using System.Text;

namespace Bot.Host.Terminal;

/// <summary>
/// Makes untrusted text (the model's answer, file and tool names) safe to print on a terminal. Escape sequences are
/// dropped whole (CSI such as colours and cursor moves; OSC, DCS, SOS, PM and APC strings such as window titles and
/// hyperlinks; two-character ESC sequences; and their 8-bit C1 forms), and so is every other C0 or C1 control
/// character except newline and tab (BEL, carriage return, backspace, NUL, DEL, …). What is left cannot move the
/// cursor, recolour, retitle, clear, ring or rewrite the terminal.
/// </summary>
internal static class TerminalText
{
    private const char Esc = '\u001b';

    /// <summary>The safe form of a whole text; an escape sequence cut off at its end is dropped.</summary>
    public static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        Append(text, clean, final: true);
        return clean.ToString();
    }

    /// <summary>
    /// Appends the safe form of <paramref name="text"/> to <paramref name="output"/> and returns how many characters it
    /// used. Text that grows (a streamed answer) can end inside an escape sequence: unless <paramref name="final"/>, that
    /// sequence is not used, and the caller passes it again with what follows. Because the scan always resumes at the
    /// start of a sequence, cleaning a text in pieces gives exactly what cleaning it whole gives.
    /// </summary>
    public static int Append(ReadOnlySpan<char> text, StringBuilder output, bool final)
    {
        var i = 0;
        while (i < text.Length)
        {
            var run = i;
            while (run < text.Length && IsPrintable(text[run]))
                run++;
            output.Append(text[i..run]);
            if (run == text.Length)
                break;

            var end = SequenceEnd(text, run);
            if (end < 0)
                return final ? text.Length : run;
            i = end;
        }

        return text.Length;
    }

    private static bool IsPrintable(char c) => c is '\n' or '\t' or (>= ' ' and < '\u007f') or > '\u009f';

    // The index after the control sequence that starts at `start`, or -1 when the text ends inside it.
    private static int SequenceEnd(ReadOnlySpan<char> text, int start)
    {
        switch (text[start])
        {
            case Esc:
                if (start + 1 == text.Length)
                    return -1;
                return text[start + 1] switch
                {
                    '[' => ControlSequenceEnd(text, start + 2),
                    ']' or 'P' or 'X' or '^' or '_' => StringEnd(text, start + 2),
                    >= ' ' and <= '/' => EscapeEnd(text, start + 1),
                    >= '0' and <= '~' => start + 2,
                    _ => start + 1, // a lone ESC: dropped, what follows is read again
                };
            case '\u009b':
                return ControlSequenceEnd(text, start + 1);
            case '\u009d' or '\u0090' or '\u0098' or '\u009e' or '\u009f':
                return StringEnd(text, start + 1);
            default:
                return start + 1; // any other control character
        }
    }

    // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E (ECMA-48 5.4).
    private static int ControlSequenceEnd(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is >= '0' and <= '?')
            i++;
        while (i < text.Length && text[i] is >= ' ' and <= '/')
            i++;
        if (i == text.Length)
            return -1;
        // Anything else than a final byte breaks the sequence off: drop what was read and read that character again.
        return text[i] is >= '@' and <= '~' ? i + 1 : i;
    }

    // ESC, intermediate bytes, one final byte (charset selections such as ESC ( B).
    private static int EscapeEnd(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is >= ' ' and <= '/')
            i++;
        if (i == text.Length)
            return -1;
        return text[i] is >= '0' and <= '~' ? i + 1 : i;
    }

    // A control string (OSC, DCS, …) runs to BEL or ST (ESC \ or 0x9C). A newline, or an ESC that starts something
    // else, ends it too, so that a string that is never terminated cannot swallow the rest of an answer.
    private static int StringEnd(ReadOnlySpan<char> text, int i)
    {
        for (; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\u0007' or '\u009c':
                    return i + 1;
                case '\n':
                    return i;
                case Esc:
                    if (i + 1 == text.Length)
                        return -1;
                    return text[i + 1] == '\\' ? i + 2 : i;
            }
        }

        return -1;
    }
}
