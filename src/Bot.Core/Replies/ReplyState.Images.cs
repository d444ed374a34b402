namespace Bot.Core.Replies;

/// <summary>Partial images: the latest one is the reply's preview until the reply ends or the drawing fails.</summary>
public sealed partial class ReplyState
{
    private ImagePreview? _preview;

    // A later partial image of any drawing replaces the one shown; an older one of the same drawing (out of order) does not.
    private bool ShowPreview(PartialImageReady partial)
    {
        if (_ending is not null)
            return false;
        if (_preview is { } shown && shown.CallId == partial.CallId && shown.Index >= partial.Index)
            return false;
        _preview = new ImagePreview(partial.CallId, partial.Index, partial.Image);
        return true;
    }

    // A drawing that failed leaves no half-finished picture behind.
    private void DropPreviewOf(ToolKind tool)
    {
        if (tool == ToolKind.ImageGeneration)
            _preview = null;
    }
}
