namespace Bot.OpenAI;

internal static partial class MediaTypes
{
    /// <summary>
    /// The media type of a generated image, from its first bytes (PNG, JPEG, WebP, GIF), or null when the bytes are
    /// none of these: what the service calls an image is checked, not trusted.
    /// </summary>
    public static string? ImageTypeOf(ReadOnlySpan<byte> content) => content switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        _ => null,
    };
}
