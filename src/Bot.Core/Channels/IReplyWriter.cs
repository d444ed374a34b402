using Bot.Core.Replies;
using Bot.Core.Tools.Approvals;

namespace Bot.Core.Channels;

/// <summary>
/// The transport of one reply on a channel: posts messages, edits them as the answer grows, attaches files, finishes.
/// The core's progressive reply lays each state out with <see cref="Presenter"/>, splits and diffs it, and calls the
/// transport with at most one write in flight and no faster than <see cref="ChannelLimits.MinEditInterval"/>;
/// implementations only translate to the platform.
/// </summary>
public interface IReplyWriter
{
    /// <summary>The limits of this reply's channel and conversation.</summary>
    ChannelLimits Limits { get; }

    /// <summary>How this reply's states are laid out.</summary>
    IReplyPresenter Presenter { get; }

    /// <summary>Shows that the bot is working (a typing indicator). Best effort.</summary>
    Task StartTypingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Posts a new message.</summary>
    Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default);

    /// <summary>Replaces the text of a message this writer posted or adopted (<see cref="Adopt"/>).</summary>
    Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes over the messages of this reply that an earlier process posted (a turn finished after a restart or a takeover),
    /// first message first: the core then edits them (<see cref="EditAsync"/>) instead of posting. A writer that keeps
    /// per-reply state about its messages (the message with a Stop button, the last message for files) sets it here.
    /// Called once, before any other write. The default keeps nothing.
    /// </summary>
    void Adopt(IReadOnlyList<string> messageIds)
    {
    }

    /// <summary>Delivers generated files with the final message. Each file is within <see cref="ChannelLimits.MaxUploadBytes"/>.</summary>
    Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default);

    /// <summary>Shows or clears (null) the status the presenter puts apart from the text (<see cref="ReplyPresentation.Status"/>).</summary>
    Task ShowStatusAsync(ToolStatus? status, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Shows the latest partial image of an image being drawn, replacing the one shown before (<see cref="ReplyPresentation.Preview"/>);
    /// null clears it. Only called for a presenter that sets a preview. Best effort.
    /// </summary>
    Task ShowPreviewAsync(ImagePreview? preview, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Whether this channel can put a yes/no question to the person who asked (buttons, a card, a y/n prompt).</summary>
    bool CanAskApproval => false;

    /// <summary>
    /// Shows <paramref name="prompt"/> with Approve and Deny, each carrying <see cref="ApprovalPrompt.Id"/>; a click goes to
    /// <see cref="IApprovalAnswers"/>. Called only when <see cref="CanAskApproval"/>.
    /// </summary>
    Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Replaces the question's buttons with its outcome (<see cref="ApprovalTexts.Outcome"/>). Best effort.</summary>
    Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Called once when the reply is complete, after its final text and files were delivered, with the final state, so
    /// that a channel can close what it opened (a stream's final message with citation entities, a Stop button). Best effort.
    /// </summary>
    Task CompleteAsync(ReplySnapshot final, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>One message of a reply, as the core writes it.</summary>
/// <param name="Text">The message's text, within the channel's length limit.</param>
/// <param name="Index">Its place in the reply: 0 is the first message, higher ones continue it.</param>
/// <param name="Snapshot">The reply state this text was laid out from (for a channel's extras such as buttons).</param>
public sealed record ReplyMessage(string Text, int Index, ReplySnapshot Snapshot)
{
    /// <summary>True while the answer is still being written.</summary>
    public bool IsLive => !Snapshot.IsFinal;
}

/// <summary>What a post did: the new message's id, or that the channel ended the reply (nothing more is written).</summary>
public readonly record struct PostResult
{
    private PostResult(string? messageId) => MessageId = messageId;

    /// <summary>The platform id of the posted message; null when <see cref="Ended"/>.</summary>
    public string? MessageId { get; }

    /// <summary>True when the channel ended the reply (the user stopped it on the platform): the core writes no more.</summary>
    public bool Ended => MessageId is null;

    /// <summary>The message was posted under <paramref name="messageId"/>.</summary>
    public static PostResult Posted(string messageId) => new(messageId ?? throw new ArgumentNullException(nameof(messageId)));

    /// <summary>Nothing was posted and nothing more will be.</summary>
    public static PostResult EndedByChannel { get; } = new(null);
}
