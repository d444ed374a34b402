using Bot.Core.Channels;
using Bot.Core.Conversations;

namespace Bot.Host.Terminal;

/// <summary>The terminal as a chat channel: replies are printed as they grow, files are saved to a folder.</summary>
internal sealed class TerminalChannel(TerminalConsole console, TerminalOptions options) : IChatChannel
{
    public const string ChannelName = "terminal";

    public string Name => ChannelName;

    /// <summary>Serializes writes to the terminal (a reply and a recovery notice must not interleave).</summary>
    public Lock OutputLock { get; } = new();

    /// <summary>Approval questions printed and waiting for a y/n line.</summary>
    public TerminalApprovals Approvals { get; } = new();

    public IReplyWriter CreateReplyWriter(string replyAddress) => new TerminalReplyWriter(this, console.Output, console.Error, options.OutputDirectory);

    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(attachment.Source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
}

/// <summary>The terminal the chat runs in: lines are read from <see cref="Input"/>, replies written to <see cref="Output"/>, tool status to <see cref="Error"/>.</summary>
internal sealed record TerminalConsole(TextReader Input, TextWriter Output, TextWriter Error);
