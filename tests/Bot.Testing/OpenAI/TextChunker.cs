namespace Bot.Testing.OpenAI;

/// <summary>Cuts text into token-like pieces the way model deltas look (" How", " can", "!", "\n\n").</summary>
internal static class TextChunker
{
    public const int MaxTokenLength = 6;

    /// <summary>Length of the piece that starts at <paramref name="start"/>; pieces never split a surrogate pair.</summary>
    public static int Next(string text, int start)
    {
        var i = start;
        var n = text.Length;

        // A space or tab travels with the word that follows it, as in model tokens.
        while (i < n && i - start < MaxTokenLength && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i == n || i - start == MaxTokenLength)
        {
            return i - start;
        }

        var c = text[i];
        if (c is '\n' or '\r')
        {
            if (i > start)
            {
                return i - start;
            }

            while (i < n && i - start < MaxTokenLength && text[i] is '\n' or '\r')
            {
                i++;
            }

            return i - start;
        }

        if (char.IsLetterOrDigit(c))
        {
            while (i < n && i - start < MaxTokenLength && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            return i - start;
        }

        // Punctuation, symbols and emoji stand alone; keep a surrogate pair together.
        i += char.IsHighSurrogate(c) && i + 1 < n && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        return i - start;
    }

    /// <summary>Cuts text into about <paramref name="parts"/> equal pieces (function-call arguments come in a few deltas).</summary>
    public static int NextEven(string text, int start, int parts)
    {
        var size = Math.Max(1, (text.Length + parts - 1) / parts);
        var end = Math.Min(text.Length, start + size);
        if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
        {
            end++;
        }

        return end - start;
    }
}
