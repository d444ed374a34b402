namespace Bot.Core.Replies;

/// <summary>
/// Lays a reply out in one channel's terms. The core calls it for every state it is about to write, then splits
/// <see cref="ReplyPresentation.Body"/> at the channel's length limit, diffs and paces the writes.
/// </summary>
public interface IReplyPresenter
{
    /// <summary>What the channel shows for <paramref name="snapshot"/>.</summary>
    ReplyPresentation Present(ReplySnapshot snapshot);
}

/// <summary>One state of a reply as a channel shows it.</summary>
/// <param name="Body">The message text; the core splits it into continuation messages at the channel's limit.</param>
/// <param name="Trailer">
/// A short line shown under the last message while it fits there (a live status line). It is never split into a
/// message of its own, except as the only text of a reply that has none yet.
/// </param>
/// <param name="Status">A status the channel shows apart from the text (the core calls <c>ShowStatusAsync</c> when it changes).</param>
public sealed record ReplyPresentation(string Body, string? Trailer = null, ToolStatus? Status = null)
{
    /// <summary>
    /// A partial image the channel shows while the final one is drawn (the core calls <c>ShowPreviewAsync</c> when it
    /// changes); null where the channel shows only the final image.
    /// </summary>
    public ImagePreview? Preview { get; init; }
}
