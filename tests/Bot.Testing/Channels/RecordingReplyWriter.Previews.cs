using System.Collections.Concurrent;
using Bot.Core.Replies;

namespace Bot.Testing.Channels;

public sealed partial class RecordingReplyWriter
{
    private readonly ConcurrentQueue<ImagePreview?> _previews = new();

    /// <summary>Every partial image shown (null: cleared), in order; only a presenter that sets previews gets any.</summary>
    public IReadOnlyList<ImagePreview?> Previews => [.. _previews];

    public Task ShowPreviewAsync(ImagePreview? preview, CancellationToken cancellationToken = default)
    {
        _previews.Enqueue(preview);
        channel.Changes.Notify();
        return Task.CompletedTask;
    }
}
