using Bot.Core.Conversations;

namespace Bot.Core.Channels;

/// <summary>
/// A place people talk to the bot (Discord, Teams, the terminal). Implemented by each adapter and
/// registered in DI so that the core can answer messages, including ones recovered after a restart.
/// </summary>
public interface IChatChannel
{
    /// <summary>The channel name used in <see cref="ConversationKey.Channel"/> (for example "discord").</summary>
    string Name { get; }

    /// <summary>Creates the writer for one reply to the given <see cref="IncomingMessage.ReplyAddress"/>.</summary>
    IReplyWriter CreateReplyWriter(string replyAddress);

    /// <summary>
    /// Opens an attachment for reading. The channel enforces its own allow-list of hosts; the caller
    /// enforces size limits while reading.
    /// </summary>
    Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default);
}
