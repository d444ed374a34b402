using Bot.Core.Places;

namespace Bot.Core.Conversations;

/// <summary>The person who wrote a message, as the channel names them.</summary>
public sealed record MessageAuthor(string Id, string DisplayName);

/// <summary>
/// A file attached to an incoming message. <see cref="Source"/> is the channel's own locator (a CDN URL,
/// a local path): only the channel that produced it knows how to open it.
/// </summary>
public sealed record IncomingAttachment(string FileName, string? ContentType, long? SizeBytes, string Source);

/// <summary>
/// A message addressed to the bot, translated by an adapter. Platform types stop at the adapter: this is
/// all the core sees of a Discord message, a Teams activity or a terminal line.
/// </summary>
/// <param name="Conversation">The chat conversation the message belongs to.</param>
/// <param name="MessageId">The platform's id for the message; the inbox deduplicates on it.</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="Text">The text with the bot's mention removed.</param>
/// <param name="Attachments">Files attached to it.</param>
/// <param name="ReceivedAt">When the platform says it was sent.</param>
/// <param name="ReplyAddress">
/// Where to answer, in the channel's own serialized form; stored with the message so that a reply can
/// still be written after a restart.
/// </param>
/// <param name="IsShared">True when several people talk in the conversation, so that the author's name goes with the text.</param>
/// <param name="Places">
/// Where the conversation lives, outermost first (<see cref="PlacePath"/>); null: the conversation alone
/// (<see cref="PlacePath.OfConversation"/>).
/// </param>
public sealed record IncomingMessage(
    ConversationKey Conversation,
    string MessageId,
    MessageAuthor Author,
    string Text,
    IReadOnlyList<IncomingAttachment> Attachments,
    DateTimeOffset ReceivedAt,
    string ReplyAddress,
    bool IsShared = false,
    PlacePath? Places = null)
{
    /// <summary>Where the conversation lives: <see cref="Places"/>, or the conversation alone.</summary>
    public PlacePath Path => Places ?? PlacePath.OfConversation(Conversation);
}
