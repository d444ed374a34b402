using System.Text;

namespace Bot.Core.Tools.Http;

/// <summary>
/// A response body read up to a byte limit: reading stops there (the rest is never downloaded), and a text cut in the
/// middle of a character loses that character rather than showing a replacement sign.
/// </summary>
internal sealed record CappedBody(string Text, bool Cut, int Limit)
{
    private const int ChunkBytes = 16 * 1024;

    public static async Task<CappedBody> ReadAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // One byte past the limit tells a body of exactly the limit from a longer one.
            using var buffer = new MemoryStream();
            var chunk = new byte[ChunkBytes];
            while (buffer.Length <= limit)
            {
                var read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                buffer.Write(chunk, 0, read);
            }

            var cut = buffer.Length > limit;
            var bytes = buffer.GetBuffer().AsSpan(0, (int)Math.Min(buffer.Length, limit));
            var encoding = EncodingOf(content);
            if (cut && encoding is UTF8Encoding)
                bytes = bytes[..CompleteUtf8Length(bytes)];
            return new CappedBody(encoding.GetString(bytes), cut, limit);
        }
    }

    /// <summary>Whether the body is text the model can read: no type, <c>text/*</c>, or JSON, XML, JavaScript or a form.</summary>
    public static bool IsText(HttpContent content)
    {
        var type = content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(type) || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            return true;
        string[] textual = ["json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "csv"];
        var subtype = type[(type.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return textual.Any(t => subtype.Equals(t, StringComparison.OrdinalIgnoreCase) || subtype.EndsWith("+" + t, StringComparison.OrdinalIgnoreCase));
    }

    private static Encoding EncodingOf(HttpContent content)
    {
        var charset = content.Headers.ContentType?.CharSet?.Trim('"');
        if (string.IsNullOrEmpty(charset))
            return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    // The length without a trailing, incomplete UTF-8 sequence.
    private static int CompleteUtf8Length(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 1; i >= 0 && i >= bytes.Length - 4; i--)
        {
            var b = bytes[i];
            if ((b & 0xC0) == 0x80)
                continue;
            var length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return i + length <= bytes.Length ? bytes.Length : i;
        }

        return bytes.Length;
    }
}
