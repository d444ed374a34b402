namespace Bot.OpenAI;

/// <summary>Media types of generated files, from their names or data URLs.</summary>
internal static partial class MediaTypes
{
    private static readonly Dictionary<string, string> s_byExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".svg"] = "image/svg+xml",
        [".csv"] = "text/csv",
        [".tsv"] = "text/tab-separated-values",
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".json"] = "application/json",
        [".xml"] = "application/xml",
        [".html"] = "text/html",
        [".pdf"] = "application/pdf",
        [".zip"] = "application/zip",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    public static string FromFileName(string fileName) =>
        s_byExtension.GetValueOrDefault(Path.GetExtension(fileName), "application/octet-stream");

    public static string ExtensionOf(string mediaType) =>
        s_byExtension.FirstOrDefault(p => p.Value == mediaType).Key ?? ".bin";

    /// <summary>
    /// Decodes <c>data:image/png;base64,…</c>. A payload that would decode to more than <paramref name="maxBytes"/> is
    /// not decoded: the method returns true with <paramref name="bytes"/> null.
    /// </summary>
    public static bool TryDecodeDataUri(string uri, long maxBytes, out string mediaType, out byte[]? bytes)
    {
        mediaType = "";
        bytes = null;
        const string prefix = "data:";
        var comma = uri.IndexOf(',', StringComparison.Ordinal);
        if (!uri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || comma < 0)
            return false;
        var header = uri[prefix.Length..comma];
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            return false;
        mediaType = header[..^";base64".Length];
        var payload = uri.AsSpan(comma + 1);
        if (DecodedLength(payload) > maxBytes)
            return true;
        try
        {
            bytes = Convert.FromBase64String(uri[(comma + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // What a base64 payload decodes to, known from its length: four characters carry three bytes, less the padding.
    private static long DecodedLength(ReadOnlySpan<char> payload)
    {
        var padding = payload.EndsWith("==") ? 2 : payload.EndsWith("=") ? 1 : 0;
        return Math.Max(0, (payload.Length + 3L) / 4 * 3 - padding);
    }
}
