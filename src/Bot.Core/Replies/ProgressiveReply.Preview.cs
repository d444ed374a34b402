namespace Bot.Core.Replies;

public sealed partial class ProgressiveReply
{
    private ImagePreview? _shownPreview;

    // A channel that shows partial images gets each new one once, as it comes (there are at most a few per image, so
    // they are not paced); the final state carries none, and the writer's completion puts the final image in its place.
    private async Task ShowPreviewAsync(ImagePreview? preview)
    {
        if (ReferenceEquals(preview, _shownPreview))
            return;
        _shownPreview = preview;
        await TryAsync(() => _writer.ShowPreviewAsync(preview, _delivery)).ConfigureAwait(false);
    }
}
