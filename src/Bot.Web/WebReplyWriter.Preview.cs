using Bot.Core.Replies;
using Bot.Web.Threads;

namespace Bot.Web;

/// <summary>
/// Partial images: each one is kept as a file of the thread and shown in the reply's message (<see cref="WebMessage.Preview"/>),
/// the one before it deleted; the final image replaces it, and a reply that ends without one drops it.
/// </summary>
internal sealed partial class WebReplyWriter
{
    private string? _previewFileId;

    public async Task ShowPreviewAsync(ImagePreview? preview, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        if (preview is null && _lastMessageId is null)
            return;
        var saved = preview is null ? null : await WebThreadStore.SaveOutputAsync(thread, preview.Image, cancellationToken).ConfigureAwait(false);
        var message = (_lastMessageId is null ? null : thread.Find(_lastMessageId))
            ?? new WebMessage("a-" + WebThreadStore.NewId(8), WebMessage.Assistant, "", [], DateTimeOffset.UtcNow);
        _lastMessageId = message.Id;
        thread.Upsert(message with { Preview = saved });
        DeletePreviewFile(thread);
        _previewFileId = saved?.Id;
    }

    public async Task CompleteAsync(ReplySnapshot final, CancellationToken cancellationToken = default)
    {
        if (_previewFileId is null)
            return;
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        if (_lastMessageId is not null && thread.Find(_lastMessageId) is { } message)
            thread.Upsert(message with { Preview = null });
        DeletePreviewFile(thread);
    }

    // The message a preview opened before any text was posted, or null.
    private WebMessage? PreviewMessage(WebThread thread) =>
        _lastMessageId is not null && thread.Find(_lastMessageId) is { Text.Length: 0, Files.Count: 0 } message ? message : null;

    private void DeletePreviewFile(WebThread thread)
    {
        if (_previewFileId is { } id)
            WebThreadStore.DeleteOutput(thread, id);
        _previewFileId = null;
    }
}
