using Bot.Core.Backends;
using Bot.Core.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Image generation: "Drawing…" while an <c>image_generation_call</c> runs, its partial images as previews, its result
/// as an output file named <c>image-{n}.png</c> (the extension from the image's own bytes). A call that fails, or an
/// <c>error</c> event (or <c>response.failed</c>) while one is drawing, becomes one notice; the text that came stays.
/// </summary>
internal sealed partial class ResponseStreamTranslator
{
    private readonly Dictionary<string, int> _imageNumbers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _drawing = new(StringComparer.Ordinal);
    private readonly int _imagesBefore;
    private readonly long _imageLimit;
    private readonly ILogger _logger;

    /// <param name="imagesBefore">Images the turn's earlier responses numbered (this one's go on from there).</param>
    /// <param name="imageLimit">The most an image may decode to (for the note of one that is bigger).</param>
    /// <param name="logger">Where failed images are logged.</param>
    public ResponseStreamTranslator(int imagesBefore = 0, long imageLimit = OpenAIOptions.MaxGeneratedImageBytes, ILogger? logger = null)
    {
        _imagesBefore = imagesBefore;
        _imageLimit = imageLimit;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How many image generation calls this response made (each numbered, delivered or not).</summary>
    public int Images => _imageNumbers.Count;

    /// <summary>
    /// True when an <c>error</c> event or <c>response.failed</c> came while an image was drawing: the drawing failed,
    /// and the response ends with what it gave (its text, a notice), not as a failed turn.
    /// </summary>
    public bool EndedByImageFailure { get; private set; }

    private void TranslateImageProgress(StreamingResponseUpdate update)
    {
        switch (update)
        {
            case StreamingResponseImageGenerationCallInProgressUpdate started:
                _drawing.Add(started.ItemId);
                NumberOf(started.ItemId);
                _events.Add(new ToolActivity(ToolKind.ImageGeneration, Running: true));
                break;
            case StreamingResponseImageGenerationCallCompletedUpdate:
                _events.Add(new ToolActivity(ToolKind.ImageGeneration, Running: false));
                break;
            // The SDK's models of what ImageEventReader reads from the bytes, for a stream whose events do not name
            // their type in an event: line (then the fast path does not see them).
            case StreamingResponseImageGenerationCallPartialImageUpdate partial:
                TranslateImage(new StreamedImage(partial.ItemId, partial.PartialImageIndex, null, partial.PartialImageBytes?.ToArray(),
                    StreamedImageProblem.None));
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: ImageGenerationCallResponseItem item }:
                var bytes = item.ImageResultBytes?.ToArray();
                TranslateImage(new StreamedImage(item.Id, null, item.Status == ImageGenerationCallStatus.Failed ? "failed" : "completed", bytes,
                    bytes is null ? StreamedImageProblem.Missing : bytes.Length > _imageLimit ? StreamedImageProblem.TooLarge : StreamedImageProblem.None));
                break;
            default:
                // generating: still drawing.
                _events.Add(new ToolActivity(ToolKind.ImageGeneration, Running: true));
                break;
        }
    }

    // A partial image or the finished call, read from the stream's bytes by ImageEventReader.
    private void TranslateImage(StreamedImage image)
    {
        var number = NumberOf(image.CallId);
        if (image.PartialIndex is { } index)
        {
            _events.Add(new ToolActivity(ToolKind.ImageGeneration, Running: true));
            if (image.Bytes is { } partial && Bot.Core.Attachments.ImageSignature.MediaTypeOf(partial) is { } partialType)
            {
                var name = $"image-{number}-partial-{index + 1}{MediaTypes.ExtensionOf(partialType)}";
                _events.Add(new PartialImageReady(image.CallId, index, new OutputFile(name, partialType, partial)));
            }

            return;
        }

        _drawing.Remove(image.CallId);
        _events.Add(new ToolActivity(ToolKind.ImageGeneration, Running: false));
        if (image.Status == "failed")
        {
            ImageFailed(image.CallId, "status failed");
            return;
        }

        switch (image.Problem)
        {
            case StreamedImageProblem.TooLarge:
                Log.ImageTooLarge(_logger, image.CallId, _imageLimit);
                _events.Add(new OutputFileTooLarge($"image-{number}.png", _imageLimit, image.CallId));
                return;
            case StreamedImageProblem.None when image.Bytes is { } bytes && Bot.Core.Attachments.ImageSignature.MediaTypeOf(bytes) is { } type:
                _events.Add(new OutputFileReady(new OutputFile($"image-{number}{MediaTypes.ExtensionOf(type)}", type, bytes), image.CallId));
                return;
            default:
                ImageFailed(image.CallId, image.Problem == StreamedImageProblem.None ? "not an image" : $"result {image.Problem}");
                return;
        }
    }

    // An error while an image is drawing is that image's failure: every drawing ends with one notice and the response
    // ends as far as the turn is concerned. Without a drawing, the error is the response's (the caller throws).
    private bool EndsDrawing(StreamingResponseUpdate update)
    {
        if (update is StreamingResponseFailedUpdate failed && (EndedByImageFailure || _drawing.Count > 0))
        {
            AddUsage(failed.Response);
            ReleaseHeldCitations();
            Final = failed.Response;
        }
        else if (_drawing.Count == 0 && !EndedByImageFailure)
        {
            return false;
        }

        var reason = update switch
        {
            StreamingResponseErrorUpdate error => error.Code ?? "error event",
            StreamingResponseFailedUpdate f => f.Response.Error?.Code.ToString() ?? "response failed",
            _ => "failed",
        };
        foreach (var callId in _drawing)
            ImageFailed(callId, reason);
        if (_drawing.Count > 0)
            _events.Add(new ToolActivity(ToolKind.ImageGeneration, Running: false));
        _drawing.Clear();
        EndedByImageFailure = true;
        return true;
    }

    private void ImageFailed(string callId, string reason)
    {
        Log.ImageGenerationFailed(_logger, callId, reason);
        _events.Add(new ToolFailed(ToolKind.ImageGeneration));
    }

    private int NumberOf(string callId)
    {
        if (!_imageNumbers.TryGetValue(callId, out var number))
            _imageNumbers[callId] = number = _imagesBefore + _imageNumbers.Count + 1;
        return number;
    }
}
