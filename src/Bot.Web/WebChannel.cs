using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Replies;
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

    private readonly ChannelLimits _limits = new(int.MaxValue, options.Value.UpdateInterval, options.Value.MaxOutputFileBytes);

    public string Name => ChannelName;

    public IReplyWriter CreateReplyWriter(string replyAddress) => new WebReplyWriter(threads, replyAddress, _limits);

    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default) =>
        Task.FromResult(threads.OpenUpload(attachment.Source));
}

/// <summary>
/// Lays a reply out for the web page as JSON: the Markdown text with <c>[n]</c> markers, the cited sources as a list
/// (<see cref="WebMessage.Citations"/>, which the page renders), the tool status apart (the page's status line).
/// </summary>
internal sealed class WebPresenter : IReplyPresenter
{
    public static WebPresenter Instance { get; } = new();

    public ReplyPresentation Present(ReplySnapshot snapshot) =>
        new(ReplyMarkdown.Body(snapshot, inlineMarkers: true).ToString(), Status: snapshot.Status) { Preview = snapshot.Preview };

    /// <summary>The sources of a snapshot as the page gets them; null when there are none.</summary>
    public static IReadOnlyList<WebCitation>? Citations(ReplySnapshot snapshot) => snapshot.Citations.Count == 0 ? null
        : [.. snapshot.Citations.Select(c => new WebCitation(c.Number, c.Kind == CitationKind.Url ? "url" : "file", c.Title, c.Url, c.Quote))];
}

/// <summary>
/// Writes one reply into a web thread: one message whose text and sources are replaced as the answer grows, the
/// status on the thread's status line, the files kept for download, the latest partial image of a drawing in the message
/// until the final image takes its place.
/// </summary>
internal sealed partial class WebReplyWriter(WebThreadStore threads, string threadId, ChannelLimits limits) : IReplyWriter
{
    private string? _lastMessageId;

    public ChannelLimits Limits => limits;

    public IReplyPresenter Presenter => WebPresenter.Instance;

    public async Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        if (message.Index == 0 && PreviewMessage(thread) is { } drawing)
        {
            // A drawing's preview came before any text: the text goes into that message.
            thread.Upsert(drawing with { Text = message.Text, Citations = WebPresenter.Citations(message.Snapshot) });
            return PostResult.Posted(drawing.Id);
        }

        var id = "a-" + WebThreadStore.NewId(8);
        thread.Upsert(new WebMessage(id, WebMessage.Assistant, message.Text, [], DateTimeOffset.UtcNow, WebPresenter.Citations(message.Snapshot)));
        _lastMessageId = id;
        return PostResult.Posted(id);
    }

    /// <summary>Takes over a reply an earlier process wrote into the thread: its messages are edited in place, files join the last.</summary>
    public void Adopt(IReadOnlyList<string> messageIds) => _lastMessageId = messageIds.Count == 0 ? _lastMessageId : messageIds[^1];

    public async Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        var shown = thread.Find(messageId) ?? throw new InvalidOperationException($"Message {messageId} is not in thread {threadId}.");
        thread.Upsert(shown with { Text = message.Text, Citations = WebPresenter.Citations(message.Snapshot) });
    }

    public async Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        var saved = new List<WebFile>();
        foreach (var file in files)
            saved.Add(await WebThreadStore.SaveOutputAsync(thread, file, cancellationToken).ConfigureAwait(false));

        var message = (_lastMessageId is null ? null : thread.Find(_lastMessageId))
            ?? new WebMessage("a-" + WebThreadStore.NewId(8), WebMessage.Assistant, "", [], DateTimeOffset.UtcNow);
        thread.Upsert(message with { Files = [.. message.Files, .. saved], Preview = null });
        DeletePreviewFile(thread);
        await thread.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ShowStatusAsync(ToolStatus? status, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        thread.SetStatus(status?.Text);
    }
}
