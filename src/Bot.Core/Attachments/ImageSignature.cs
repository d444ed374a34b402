namespace Bot.Core.Attachments;

/// <summary>Which image format bytes are, known by their first bytes rather than by a name or a reported content type.</summary>
public static class ImageSignature
{
    /// <summary>The media type of PNG, JPEG, GIF (87a, 89a) or WebP bytes, or null for anything else (an empty file included).</summary>
    public static string? MediaTypeOf(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        _ => null,
    };
}
