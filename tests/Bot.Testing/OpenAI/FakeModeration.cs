using System.Collections.Concurrent;

namespace Bot.Testing.OpenAI;

/// <summary>One POST /moderations as the fake received it: the model (null when left to the default) and the texts.</summary>
public sealed record FakeModerationRequest(string? Model, IReadOnlyList<string> Texts, int ImageCount);

/// <summary>
/// The fake's moderation model: a text containing <see cref="FlagMarker"/> is flagged with <see cref="FlaggedCategories"/>,
/// anything else is clean. Fail it with <see cref="FakeOpenAIServer.FailNext"/>("POST", "/moderations", 500, …).
/// </summary>
public sealed class FakeModeration
{
    /// <summary>Every category of the spec's CreateModerationResponse, in its order.</summary>
    public static readonly IReadOnlyList<string> AllCategories =
    [
        "hate", "hate/threatening", "harassment", "harassment/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    private readonly ConcurrentQueue<FakeModerationRequest> _requests = new();

    /// <summary>The text that gets an input flagged (ordinal, anywhere in it).</summary>
    public string FlagMarker { get; set; } = "[flag-me]";

    /// <summary>The categories a flagged input is flagged for.</summary>
    public IReadOnlyList<string> FlaggedCategories { get; set; } = ["harassment", "harassment/threatening"];

    /// <summary>Requests that were answered, in arrival order.</summary>
    public IReadOnlyList<FakeModerationRequest> Requests => [.. _requests];

    internal void Record(FakeModerationRequest request) => _requests.Enqueue(request);

    internal bool IsFlagged(string text) => text.Contains(FlagMarker, StringComparison.Ordinal);

    /// <summary>
    /// A PNG signature followed by <paramref name="text"/>: enough for the bot, which knows an image by its first bytes, and
    /// for the fake, which flags an image whose bytes contain <see cref="FlagMarker"/>.
    /// </summary>
    public static byte[] Png(string text) => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. System.Text.Encoding.UTF8.GetBytes(text)];

    /// <summary>An image is flagged when its bytes contain the marker's UTF-8 bytes (an image URL is never flagged).</summary>
    internal bool IsFlagged(byte[]? image) =>
        image is not null && image.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(FlagMarker)) >= 0;

    /// <summary>
    /// Reads an `image_url.url`: an http(s) URL (not fetched: <paramref name="bytes"/> is null), or a data URL
    /// `data:image/…;base64,…` with valid base64 that decodes to something. False for anything else.
    /// </summary>
    internal static bool TryReadImage(string url, out byte[]? bytes)
    {
        bytes = null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            return true;
        const string Prefix = "data:image/";
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (!url.StartsWith(Prefix, StringComparison.Ordinal) || comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.Ordinal))
            return false;
        try
        {
            bytes = Convert.FromBase64String(url[(comma + 1)..]);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
