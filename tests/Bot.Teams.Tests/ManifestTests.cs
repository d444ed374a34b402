using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Bot.Teams.Tests;

/// <summary>The Teams app package sources in manifests/teams (teams.md §6).</summary>
public sealed class ManifestTests
{
    private static readonly string s_folder = FindFolder();

    [Fact]
    public void Manifest_DeclaresTheBotInAllScopes_WithFilesAndTheResetAndStopCommands()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(s_folder, "manifest.json")))!;
        var version = manifest["manifestVersion"]!.GetValue<string>();

        Assert.Equal($"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json", manifest["$schema"]!.GetValue<string>());
        var bot = Assert.Single(manifest["bots"]!.AsArray())!;
        Assert.Equal(["groupChat", "personal", "team"], bot["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Order());
        Assert.True(bot["supportsFiles"]!.GetValue<bool>());
        var commands = bot["commandLists"]!.AsArray().SelectMany(l => l!["commands"]!.AsArray()).Select(c => c!["title"]!.GetValue<string>());
        Assert.Equal(["reset", "stop"], commands.Order());
        // The build script replaces this placeholder with the configured app id in both places.
        Assert.Equal("00000000-0000-0000-0000-000000000000", manifest["id"]!.GetValue<string>());
        Assert.Equal(manifest["id"]!.GetValue<string>(), bot["botId"]!.GetValue<string>());
        Assert.True(manifest["name"]!["short"]!.GetValue<string>().Length <= 30);
        Assert.True(manifest["description"]!["short"]!.GetValue<string>().Length <= 80);
    }

    [Fact]
    public void Icons_HaveTheSizesTeamsRequires_AndTheOutlineIsWhiteOnTransparent()
    {
        var (colorWidth, colorHeight, _) = ReadPng(Path.Combine(s_folder, "color.png"));
        Assert.Equal((192, 192), (colorWidth, colorHeight));

        var (width, height, pixels) = ReadPng(Path.Combine(s_folder, "outline.png"));
        Assert.Equal((32, 32), (width, height));
        var transparent = 0;
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var (r, g, b, a) = (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]);
            Assert.True(a == 0 || (r, g, b, a) == (255, 255, 255, 255), $"pixel {i / 4} is ({r},{g},{b},{a})");
            transparent += a == 0 ? 1 : 0;
        }

        Assert.InRange(transparent, 1, (width * height) - 1);
    }

    // RGBA, 8 bits, filter type 0 on every row (what make-icons.py writes).
    private static (int Width, int Height, byte[] Pixels) ReadPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var offset = 8; offset < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
            var data = bytes.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                Assert.Equal((8, 6), (data[8], data[9]));
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(inflated);
        var raw = inflated.ToArray();
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * ((width * 4) + 1)]);
            Array.Copy(raw, (y * ((width * 4) + 1)) + 1, pixels, y * width * 4, width * 4);
        }

        return (width, height, pixels);
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "manifests", "teams");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
                return candidate;
        }

        throw new DirectoryNotFoundException("manifests/teams not found above " + AppContext.BaseDirectory);
    }
}
