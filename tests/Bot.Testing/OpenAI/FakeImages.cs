namespace Bot.Testing.OpenAI;

/// <summary>
/// Bytes that start like a PNG file (its 8-byte signature) followed by a seeded pattern: what a test's image generation
/// "draws". Each seed gives other bytes, so a byte-exact comparison tells images (and partial images) apart.
/// </summary>
public static class FakeImages
{
    public static byte[] Png(int length, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 16);
        var bytes = new byte[length];
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes);
        new Random(seed).NextBytes(bytes.AsSpan(signature.Length));
        return bytes;
    }
}
