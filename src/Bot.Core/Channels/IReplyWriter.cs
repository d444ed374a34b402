namespace Bot.Core.Channels;

/// <summary>
/// Writes one reply on a channel: posts messages, edits them as the answer grows, attaches files.
/// The core's progressive reply calls it with at most one write in flight per message and no faster
/// than <see cref="ChannelLimits.MinEditInterval"/>; implementations only translate to the platform.
/// </summary>
public interface IReplyWriter
{
    /// <summary>The limits of this reply's channel and conversation.</summary>
    ChannelLimits Limits { get; }

    /// <summary>Shows that the bot is working (a typing indicator). Best effort.</summary>
    Task StartTypingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Posts a new message and returns its platform id.</summary>
    Task<string> PostAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Replaces the text of a message this writer posted.</summary>
    Task EditAsync(string messageId, string text, CancellationToken cancellationToken = default);

    /// <summary>Delivers generated files with the final message. Each file is within <see cref="ChannelLimits.MaxUploadBytes"/>.</summary>
    Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default);

    /// <summary>
    /// Shows or clears (null) a short status such as "Running code…". Only called for
    /// <see cref="ChannelLimits.AppendOnly"/> channels; others get the status inside the message text.
    /// </summary>
    Task ShowStatusAsync(string? status, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Called once when the reply is complete, after its final text and files were delivered, so that a channel
    /// that streams (Teams) can send its closing message. Best effort.
    /// </summary>
    Task CompleteAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
