using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Moderation;
using Bot.Testing.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Moderation;

/// <summary>
/// Which images of a turn the moderation gate sends, and as what: an image is known by its bytes, not by the name or
/// content type the platform gave it (a wrong media type would make the endpoint refuse the whole check), and one over
/// the image limit is not downloaded.
/// </summary>
public sealed class ModerationImageTests
{
    private readonly RecordingChannel _channel = new();
    private readonly RecordingModeration _moderation = new();

    [Fact]
    public async Task AnImage_IsSentWithTheMediaTypeItsBytesShow_NotTheOneItWasGiven()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3 };

        await CheckAsync(Message("look", Attach("photo.png", "image/png", jpeg)));

        Assert.Equal([("look", null), (null, "image/jpeg")], _moderation.Inputs.Select(i => (i.Text, i.ImageMediaType)));
        Assert.Equal(jpeg, _moderation.Inputs[1].Image!.Value.ToArray());
    }

    [Fact]
    public async Task AFileThatOnlyClaimsToBeAnImage_IsNotSentAsOne()
    {
        await CheckAsync(Message("look", Attach("page.png", "image/png", "<html>not an image</html>"u8.ToArray())));

        Assert.Equal(["look"], _moderation.Inputs.Select(i => i.Text));
    }

    [Fact]
    public async Task AnImageOverTheLimit_IsNotDownloaded_AndAnImageWithoutText_IsCheckedAlone()
    {
        var gif = "GIF89a...."u8.ToArray();
        // Its platform says 2 KB; were it downloaded, its few bytes would be checked as a PNG.
        var big = Attach("big.png", "image/png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) with { SizeBytes = 2048 };

        await CheckAsync(Message("", big, Attach("small.gif", null, gif)), maxImageBytes: 1024);

        Assert.Equal([(null, "image/gif")], _moderation.Inputs.Select(i => (i.Text, i.ImageMediaType)));
    }

    private async Task CheckAsync(IncomingMessage message, long maxImageBytes = 1024 * 1024)
    {
        var gate = new ModerationGate(new ModerationOptions { Enabled = true }, _moderation, null, [], TimeProvider.System,
            NullLogger<ModerationGate>.Instance, new AttachmentOptions { MaxImageBytes = maxImageBytes });
        Assert.Null(await gate.CheckAsync(message.Conversation, _channel, [message], CancellationToken.None));
    }

    private IncomingMessage Message(string text, params IncomingAttachment[] attachments) => _channel.Message("c1", text, attachments: attachments);

    private IncomingAttachment Attach(string name, string? contentType, byte[] bytes)
    {
        var source = $"https://cdn.example/{name}";
        _channel.AttachmentContents[source] = bytes;
        return new IncomingAttachment(name, contentType, bytes.Length, source);
    }

    /// <summary>Keeps what it was asked to check; everything is clean.</summary>
    private sealed class RecordingModeration : IInputModeration
    {
        public List<ModerationInput> Inputs { get; } = [];

        public Task<IReadOnlyList<ModerationVerdict>> CheckAsync(IReadOnlyList<ModerationInput> inputs, string model, CancellationToken cancellationToken = default)
        {
            Inputs.AddRange(inputs);
            return Task.FromResult<IReadOnlyList<ModerationVerdict>>([.. inputs.Select(_ => ModerationVerdict.Clean)]);
        }
    }
}
