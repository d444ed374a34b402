using Bot.Core.Backends;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>A generated file the stream cited in a code-interpreter container, still to be downloaded.</summary>
internal sealed record ContainerFileReference(string ContainerId, string FileId, string FileName);

/// <summary>
/// Translates the SDK's streaming updates of one response into assistant events, and remembers what
/// the turn loop acts on afterwards: function calls to run, container files to download, the terminal
/// state. Unknown update kinds are ignored, as the protocol allows new ones.
/// </summary>
internal sealed partial class ResponseStreamTranslator
{
    private readonly List<AssistantEvent> _events = [];
    private readonly Dictionary<string, List<AssistantEvent>> _heldCitations = new(StringComparer.Ordinal);
    private string? _lastItemId;
    private int _lastContentIndex = -1;
    private string? _lastPartId;

    public List<FunctionCallResponseItem> FunctionCalls { get; } = [];

    public List<ContainerFileReference> ContainerFiles { get; } = [];

    public List<CodeInterpreterCallImageOutput> ImageOutputs { get; } = [];

    /// <summary>The terminal update seen, or null while the response is still running.</summary>
    public ResponseResult? Final { get; private set; }

    public bool Incomplete { get; private set; }

    /// <summary>Translates one event of the stream. The returned list is reused by the next call.</summary>
    public IReadOnlyList<AssistantEvent> Translate(ResponseStreamEvent streamEvent)
    {
        if (streamEvent.Update is { } update)
            return Translate(update);
        _events.Clear();
        if (streamEvent.Image is { } image)
        {
            TranslateImage(image);
            return _events;
        }

        _events.Add(new TextDelta(PartId(streamEvent.ItemId!, streamEvent.ContentIndex), streamEvent.Delta!));
        WroteText |= streamEvent.Delta!.Length > 0;
        return _events;
    }

    /// <summary>Translates one update. The returned list is reused by the next call.</summary>
    public IReadOnlyList<AssistantEvent> Translate(StreamingResponseUpdate update)
    {
        _events.Clear();
        switch (update)
        {
            case StreamingResponseCreatedUpdate created:
                _events.Add(new ResponseStarted(created.Response.Id));
                break;
            case StreamingResponseOutputTextDeltaUpdate delta:
                _events.Add(new TextDelta(PartId(delta.ItemId, delta.ContentIndex), delta.Delta));
                WroteText |= delta.Delta.Length > 0;
                break;
            case StreamingResponseRefusalDeltaUpdate refusal:
                _events.Add(new TextDelta(PartId(refusal.ItemId, refusal.ContentIndex), refusal.Delta));
                WroteText |= refusal.Delta.Length > 0;
                break;
            case StreamingResponseOutputTextDoneUpdate done:
                CompletePart(PartId(done.ItemId, done.ContentIndex), done.Text);
                WroteText |= done.Text.Length > 0;
                break;
            case StreamingResponseOutputTextAnnotationAddedUpdate annotation:
                TranslateAnnotation(annotation);
                break;
            case StreamingResponseCodeInterpreterCallInProgressUpdate or StreamingResponseCodeInterpreterCallInterpretingUpdate:
                _events.Add(new ToolActivity(ToolKind.CodeInterpreter, Running: true));
                break;
            case StreamingResponseCodeInterpreterCallCompletedUpdate:
                _events.Add(new ToolActivity(ToolKind.CodeInterpreter, Running: false));
                break;
            case StreamingResponseFileSearchCallInProgressUpdate or StreamingResponseFileSearchCallSearchingUpdate:
                _events.Add(new ToolActivity(ToolKind.FileSearch, Running: true));
                break;
            case StreamingResponseFileSearchCallCompletedUpdate:
                _events.Add(new ToolActivity(ToolKind.FileSearch, Running: false));
                break;
            case StreamingResponseWebSearchCallInProgressUpdate or StreamingResponseWebSearchCallSearchingUpdate:
                _events.Add(new ToolActivity(ToolKind.WebSearch, Running: true));
                break;
            case StreamingResponseWebSearchCallCompletedUpdate:
                _events.Add(new ToolActivity(ToolKind.WebSearch, Running: false));
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: WebSearchCallResponseItem { Status: WebSearchCallStatus.Failed } }:
                // No completed event for a failed search: the status ends here, and the answer goes on without it.
                _events.Add(new ToolActivity(ToolKind.WebSearch, Running: false));
                _events.Add(new ToolFailed(ToolKind.WebSearch));
                break;
            case StreamingResponseImageGenerationCallInProgressUpdate or StreamingResponseImageGenerationCallGeneratingUpdate
                or StreamingResponseImageGenerationCallPartialImageUpdate or StreamingResponseImageGenerationCallCompletedUpdate
                or StreamingResponseOutputItemDoneUpdate { Item: ImageGenerationCallResponseItem }:
                TranslateImageProgress(update);
                break;
            case StreamingResponseErrorUpdate or StreamingResponseFailedUpdate when EndsDrawing(update):
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem call }:
                FunctionCalls.Add(call);
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: CodeInterpreterCallResponseItem codeCall }:
                ImageOutputs.AddRange(codeCall.Outputs?.OfType<CodeInterpreterCallImageOutput>() ?? []);
                break;
            case StreamingResponseCompletedUpdate completed:
                ReleaseHeldCitations();
                Final = completed.Response;
                AddUsage(completed.Response);
                break;
            case StreamingResponseIncompleteUpdate incomplete:
                ReleaseHeldCitations();
                Final = incomplete.Response;
                Incomplete = true;
                AddUsage(incomplete.Response);
                break;
            case StreamingResponseFailedUpdate failed:
                AddUsage(failed.Response);
                throw FailureMapping.FromErrorCode(failed.Response.Error?.Code.ToString(), failed.Response.Error?.Message ?? "The response failed.");
            case StreamingResponseErrorUpdate error:
                throw FailureMapping.FromErrorCode(error.Code, error.Message);
            default:
                TranslateOther(update);
                break;
        }

        return _events;
    }

    private void TranslateAnnotation(StreamingResponseOutputTextAnnotationAddedUpdate update)
    {
        var partId = PartId(update.ItemId, update.ContentIndex);
        switch (update.Annotation)
        {
            case FileCitationMessageAnnotation file:
                Hold(partId, new FileCitation(partId, file.Index, file.FileId, file.Filename));
                break;
            case UriCitationMessageAnnotation page:
                // The cited span is the model's own inline mention of the page; its number goes right after it.
                Hold(partId, new UrlCitation(partId, page.EndIndex, page.Uri.OriginalString, page.Title));
                break;
            case ContainerFileCitationMessageAnnotation container:
                ContainerFiles.Add(new ContainerFileReference(container.ContainerId, container.FileId, container.Filename));
                break;
        }
    }

    // Its position is one of the finished text, which may still lose sandbox links: held until then.
    private void Hold(string partId, AssistantEvent citation)
    {
        if (!_heldCitations.TryGetValue(partId, out var held))
            _heldCitations[partId] = held = [];
        held.Add(citation);
    }

    // The finished text without its sandbox links, then the part's citations at their places in that text.
    private void CompletePart(string partId, string text)
    {
        var rewrite = OutputText.WithoutSandboxLinks(text);
        _events.Add(new TextPartCompleted(partId, rewrite.Text));
        if (_heldCitations.Remove(partId, out var held))
            _events.AddRange(held.Select(c => c switch
            {
                FileCitation file => file with { Index = rewrite.Map(file.Index) },
                UrlCitation page => page with { Index = rewrite.Map(page.Index) },
                _ => c,
            }));
    }

    // A part whose finished text never came (a refusal, a cut): its citations still count, where they were.
    private void ReleaseHeldCitations()
    {
        foreach (var held in _heldCitations.Values)
            _events.AddRange(held);
        _heldCitations.Clear();
    }

    // input_tokens includes the cached ones (input_tokens_details.cached_tokens), which are billed at a lower price.
    private void AddUsage(ResponseResult response)
    {
        if (response.Usage is { } usage)
            _events.Add(new UsageReported(new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount, usage.InputTokenDetails?.CachedTokenCount ?? 0)));
    }

    // Every delta of a part names the same item: build its id once, not per delta.
    private string PartId(string itemId, int contentIndex)
    {
        if (contentIndex != _lastContentIndex || !string.Equals(itemId, _lastItemId, StringComparison.Ordinal))
        {
            (_lastItemId, _lastContentIndex) = (itemId, contentIndex);
            _lastPartId = $"{itemId}#{contentIndex}";
        }

        return _lastPartId!;
    }
}
