using System.Globalization;
using System.Text;

namespace Bot.Host.Terminal;

/// <summary>
/// Turns the name the model gave a generated file into a name that is safe to create in the output folder on any
/// platform: no folder parts, no control characters or escape sequences, no characters Windows forbids, not empty,
/// <c>.</c> or <c>..</c>, not a Windows device name, and at most 255 bytes in UTF-8 (the usual file system limit),
/// keeping the extension.
/// </summary>
internal static class TerminalFileNames
{
    /// <summary>The name given to a file whose own name has nothing usable left.</summary>
    public const string DefaultName = "file";

    private const int MaxNameBytes = 255;

    // An "extension" longer than this is more likely part of the name; it is not kept whole at the name's expense.
    private const int MaxExtensionBytes = 32;

    private static readonly HashSet<string> s_windowsDevices = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The safe form of <paramref name="name"/>.</summary>
    public static string Safe(string name)
    {
        var text = TerminalText.Clean(name);
        // Only the last path part: "../../x.txt" and "C:\x\y.txt" stay inside the output folder.
        text = text[(text.LastIndexOfAny(['/', '\\']) + 1)..];

        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '<' or '>' or ':' or '"' or '|' or '?' or '*' or '\n' or '\t')
                safe.Append('_');
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format) // bidi overrides could disguise the extension
                safe.Append(c);
        }

        // Windows drops trailing dots and spaces; a name of dots only is "." or ".." or nothing useful.
        var trimmed = safe.ToString().Trim().TrimEnd('.', ' ');
        if (trimmed.Length == 0)
            return DefaultName;
        if (s_windowsDevices.Contains(trimmed.Split('.')[0].TrimEnd()))
            trimmed = "_" + trimmed;
        return Numbered(trimmed, 1);
    }

    /// <summary>
    /// The <paramref name="number"/>th candidate for a safe name: the name itself, then <c>name-2.ext</c>,
    /// <c>name-3.ext</c>, …; shortened where needed so that the number and the extension fit in 255 bytes.
    /// </summary>
    public static string Numbered(string safeName, int number)
    {
        var extension = Path.GetExtension(safeName);
        if (Encoding.UTF8.GetByteCount(extension) > MaxExtensionBytes || extension.Length == safeName.Length)
            extension = "";
        var stem = safeName[..^extension.Length];
        var tail = (number > 1 ? "-" + number.ToString(CultureInfo.InvariantCulture) : "") + extension;
        return Shorten(stem, MaxNameBytes - Encoding.UTF8.GetByteCount(tail)) + tail;
    }

    // The longest start of `text` that fits in `maxBytes` of UTF-8, cut between whole characters.
    private static string Shorten(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;
        var result = new StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            result.Append(rune.ToString());
        }

        return result.ToString();
    }
}
