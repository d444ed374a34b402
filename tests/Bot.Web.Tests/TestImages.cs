using System.IO.Compression;
using System.Text;

namespace Bot.Web.Tests;

/// <summary>A real PNG (a small bar chart) for the fake's code interpreter to "generate", so a browser can draw it.</summary>
internal static class TestImages
{
    public static byte[] Chart(int width = 360, int height = 200)
    {
        int[] bars = [3, 5, 4, 7, 6, 9];
        var raw = new byte[height * (width * 3 + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (width * 3 + 1);
            for (var x = 0; x < width; x++)
            {
                var bar = (x - 20) / 55;
                var inBar = x >= 20 && bar < bars.Length && (x - 20) % 55 < 40 && height - 20 - y < bars[bar] * 18 && y < height - 20;
                var axis = y == height - 20 || x == 18;
                var (r, g, b) = inBar ? (36, 87, 214) : axis ? (60, 60, 60) : (255, 255, 255);
                raw[row + 1 + x * 3] = (byte)r;
                raw[row + 2 + x * 3] = (byte)g;
                raw[row + 3 + x * 3] = (byte)b;
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(raw);
            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in data)
        {
            crc ^= value;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }

        return ~crc;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}
