using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Web.Threads;
using Microsoft.Extensions.Options;

namespace Bot.Web;

/// <summary>
/// The web chat as a chat channel. A reply address is the thread id; replies go into the thread's
/// transcript and out to the pages watching it. Attachments are the visitor's uploads in the thread's folder.
/// </summary>
internal sealed class WebChannel(WebThreadStore threads, IOptions<WebChatOptions> options) : IChatChannel
{
    public const string ChannelName = "web";

    private readonly ChannelLimits _limits = new(int.MaxValue, options.Value.UpdateInterval, options.Value.MaxOutputFileBytes, AppendOnly: true);

    public string Name => ChannelName;

    public IReplyWriter CreateReplyWriter(string replyAddress) => new WebReplyWriter(threads, replyAddress, _limits);

    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default) =>
        Task.FromResult(threads.OpenUpload(attachment.Source));
}

/// <summary>
/// Writes one reply into a web thread. The channel is append-only for the core (one message, status apart),
/// so the page gets the whole answer as one growing Markdown text, a separate status line and the files.
/// </summary>
internal sealed class WebReplyWriter(WebThreadStore threads, string threadId, ChannelLimits limits) : IReplyWriter
{
    private string? _lastMessageId;

    public ChannelLimits Limits => limits;

    public async Task<string> PostAsync(string text, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        var id = "a-" + WebThreadStore.NewId(8);
        thread.Upsert(new WebMessage(id, WebMessage.Assistant, text, [], DateTimeOffset.UtcNow));
        _lastMessageId = id;
        return id;
    }

    public async Task EditAsync(string messageId, string text, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        var message = thread.Find(messageId) ?? throw new InvalidOperationException($"Message {messageId} is not in thread {threadId}.");
        thread.Upsert(message with { Text = text });
    }

    public async Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        var saved = new List<WebFile>();
        foreach (var file in files)
            saved.Add(await WebThreadStore.SaveOutputAsync(thread, file, cancellationToken).ConfigureAwait(false));

        var message = (_lastMessageId is null ? null : thread.Find(_lastMessageId))
            ?? new WebMessage("a-" + WebThreadStore.NewId(8), WebMessage.Assistant, "", [], DateTimeOffset.UtcNow);
        thread.Upsert(message with { Files = [.. message.Files, .. saved] });
        await thread.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ShowStatusAsync(string? status, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        thread.SetStatus(status);
    }
}
