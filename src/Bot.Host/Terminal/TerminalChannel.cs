using Bot.Core.Channels;
using Bot.Core.Conversations;

namespace Bot.Host.Terminal;

/// <summary>The terminal as a chat channel: replies are printed as they grow, files are saved to a folder.</summary>
internal sealed class TerminalChannel(TextWriter output, TextWriter error, TerminalOptions options) : IChatChannel
{
    public const string ChannelName = "terminal";

    public string Name => ChannelName;

    /// <summary>Serializes writes to the terminal (a reply and a recovery notice must not interleave).</summary>
    public Lock OutputLock { get; } = new();

    public IReplyWriter CreateReplyWriter(string replyAddress) => new TerminalReplyWriter(this, output, error, options.OutputDirectory);

    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(attachment.Source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
}
