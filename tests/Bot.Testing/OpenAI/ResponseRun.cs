using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>Plays one scripted <see cref="FakeResponse"/>: builds the output items and, when streaming, writes their events.</summary>
/// <remarks>
/// The event order and fields follow the recorded streams in tests/fixtures/openai. Without an SSE writer
/// the same steps only build the final response object (a non-streamed request).
/// </remarks>
internal sealed partial class ResponseRun(
    FakeOpenAIState state,
    StoredResponse response,
    StoredConversation? conversation,
    FakeResponse script,
    SseEventWriter? sse,
    CancellationToken cancellationToken)
{
    private readonly List<OutputAnnotation> _pendingFileCitations = [];
    private readonly TimeSpan _interval = script.Interval ?? state.DefaultTokenInterval;

    // A background response has no stream but still takes its time: tokens are generated at the same pace.
    private readonly bool _paced = sse is null && response.Request.Public.Background;
    private int _outputTokens;

    private ParsedResponseRequest Request => response.Request;

    /// <summary>Runs the steps and the ending; returns how it ended.</summary>
    public async Task<FakeEnding> RunAsync()
    {
        await WriteResponseEventAsync(EventTypes.Created);
        await WriteResponseEventAsync(EventTypes.InProgress);
        foreach (var step in script.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (step)
            {
                case TextStep text:
                    await TextAsync(text.Text, [.. text.Citations.OrderBy(c => c.Index).Select(c => c.ToAnnotation())]);
                    break;
                case FunctionCallStep call:
                    await FunctionCallAsync(call);
                    break;
                case CodeInterpreterStep code:
                    await CodeInterpreterAsync(code);
                    break;
                case FileSearchStep search:
                    await FileSearchAsync(search.Queries);
                    break;
                case WebSearchStep search:
                    await WebSearchAsync(search);
                    break;
                case CompactionStep:
                    await CompactionAsync();
                    break;
                case ImageGenerationStep image:
                    await ImageGenerationAsync(image);
                    break;
                case McpListToolsStep list:
                    await McpListToolsAsync(list);
                    break;
                case McpCallStep call:
                    await McpCallAsync(call);
                    break;
                case DelayStep delay:
                    await Task.Delay(delay.Delay, cancellationToken);
                    break;
            }

            if (_awaitingApproval)
            {
                break;
            }
        }

        // A response that asks for approval is complete; the script's own ending waits for the approved continuation.
        var ending = _awaitingApproval ? FakeEnding.Default : script.Ending ?? FakeEnding.Default;
        if (_pendingFileCitations.Count > 0 && ending.Kind is FakeEndingKind.Completed or FakeEndingKind.Incomplete)
        {
            // Generated files are cited by the message after the tool call; a script without one still gets it.
            var links = string.Join("\n", _pendingFileCitations.Select(c => $"[{c.Filename}](sandbox:/mnt/data/{c.Filename})"));
            await TextAsync(links, []);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await EndAsync(ending);
        return ending;
    }

    private async Task EndAsync(FakeEnding ending)
    {
        var usage = script.ReportedUsage ?? (Math.Max(1, Request.InputChars / 4), _outputTokens);
        lock (response.Sync)
        {
            if (response.Status == "cancelled")
            {
                // POST /responses/{id}/cancel won the race with the last step.
                throw new OperationCanceledException();
            }

            response.Usage = usage;
            response.CachedTokens = script.ReportedCachedTokens;
            response.CompletedAt = FakeOpenAIState.Now();
            (response.Status, response.Error, response.IncompleteReason) = ending.Kind switch
            {
                FakeEndingKind.Completed => ("completed", null, null),
                FakeEndingKind.Incomplete => ("incomplete", null, ending.Reason),
                FakeEndingKind.Failed or FakeEndingKind.ErrorEvent => ("failed", (ending.Code ?? "server_error", ending.Message ?? string.Empty), null),
                _ => ("cancelled", ((string Code, string Message)?)null, (string?)null),
            };
        }

        // Settle before the terminal event: a client that sends its next turn the moment it reads the event
        // must find the conversation unlocked and holding this turn's items.
        state.Settle(response, conversation, ending.Kind == FakeEndingKind.Completed);
        switch (ending.Kind)
        {
            case FakeEndingKind.Completed:
                await WriteResponseEventAsync(EventTypes.Completed);
                break;
            case FakeEndingKind.Failed:
                await WriteResponseEventAsync(EventTypes.Failed);
                break;
            case FakeEndingKind.Incomplete:
                await WriteResponseEventAsync(EventTypes.Incomplete);
                break;
            case FakeEndingKind.ErrorEvent when sse is not null:
                var w = sse.Begin(EventTypes.Error);
                w.WriteString("code", ending.Code);
                w.WriteString("message", ending.Message);
                w.WriteNull("param");
                await sse.EndAsync();
                break;
        }
    }

    private async Task TextAsync(string text, List<OutputAnnotation> annotations)
    {
        foreach (var pending in _pendingFileCitations)
        {
            var link = $"sandbox:/mnt/data/{pending.Filename}";
            var start = text.IndexOf(link, StringComparison.Ordinal);
            annotations.Add(start < 0 ? pending : pending with { StartIndex = start, EndIndex = start + link.Length });
        }

        _pendingFileCitations.Clear();
        var item = new MessageItem(FakeIds.Message(), text, annotations);
        var index = Add(item);
        if (sse is null)
        {
            if (_paced)
            {
                for (var at = 0; at < text.Length; at += TextChunker.Next(text, at))
                {
                    await PauseAsync();
                    MarkFirstTextDelta();
                    _outputTokens++;
                }
            }
            else
            {
                _outputTokens += CountPieces(text);
            }

            item.Done = true;
            return;
        }

        await ItemAddedAsync(index, item);
        var w = BeginContentEvent(EventTypes.ContentPartAdded, item, index);
        w.WritePropertyName(JsonNames.Part);
        item.WritePart(w, complete: false);
        await sse.EndAsync();

        var position = 0;
        var next = 0;
        while (position < text.Length)
        {
            await PauseAsync();
            var length = TextChunker.Next(text, position);
            w = BeginContentEvent(EventTypes.OutputTextDelta, item, index);
            w.WriteString(JsonNames.Delta, text.AsSpan(position, length));
            WriteEmptyLogprobs(w);
            MarkFirstTextDelta();
            await sse.EndAsync();
            position += length;
            _outputTokens++;

            // A file or page citation is announced once the text has reached its (end) index, as in the recorded file_search stream.
            while (next < annotations.Count && annotations[next].Kind is OutputAnnotation.FileCitation or OutputAnnotation.UrlCitation
                && annotations[next].Index <= position)
            {
                await AnnotationAddedAsync(item, index, next++);
            }
        }

        while (next < annotations.Count)
        {
            await AnnotationAddedAsync(item, index, next++);
        }

        w = BeginContentEvent(EventTypes.OutputTextDone, item, index);
        w.WriteString(JsonNames.Text, text);
        WriteEmptyLogprobs(w);
        await sse.EndAsync();
        w = BeginContentEvent(EventTypes.ContentPartDone, item, index);
        w.WritePropertyName(JsonNames.Part);
        item.WritePart(w, complete: true);
        await sse.EndAsync();
        await ItemDoneAsync(index, item);
    }

    private async Task AnnotationAddedAsync(MessageItem item, int outputIndex, int annotationIndex)
    {
        var w = BeginContentEvent(EventTypes.AnnotationAdded, item, outputIndex);
        w.WriteNumber("annotation_index", annotationIndex);
        w.WritePropertyName("annotation");
        item.Annotations[annotationIndex].Write(w);
        await sse!.EndAsync();
    }

    private Utf8JsonWriter BeginContentEvent(JsonEncodedText type, FakeItem item, int outputIndex)
    {
        var w = sse!.Begin(type);
        w.WriteString(JsonNames.ItemId, item.Id);
        w.WriteNumber(JsonNames.OutputIndex, outputIndex);
        w.WriteNumber(JsonNames.ContentIndex, 0);
        return w;
    }

    private async Task WriteResponseEventAsync(JsonEncodedText type)
    {
        if (sse is null)
        {
            return;
        }

        var w = sse.Begin(type);
        w.WritePropertyName("response");
        response.Write(w);
        await sse.EndAsync();
    }

    private async Task ItemAddedAsync(int index, FakeItem item)
    {
        var w = sse!.Begin(EventTypes.OutputItemAdded);
        w.WriteNumber(JsonNames.OutputIndex, index);
        w.WritePropertyName(JsonNames.Item);
        item.Write(w);
        await sse.EndAsync();
    }

    private async Task ItemDoneAsync(int index, FakeItem item)
    {
        item.Done = true;
        var w = sse!.Begin(EventTypes.OutputItemDone);
        w.WriteNumber(JsonNames.OutputIndex, index);
        w.WritePropertyName(JsonNames.Item);
        item.Write(w);
        await sse.EndAsync();
    }

    // Adds a tool item: without a stream it is simply done (null); with one, output_item.added is sent and its index returned.
    private async Task<int?> StartItemAsync(FakeItem item)
    {
        var index = Add(item);
        if (sse is null)
        {
            item.Done = true;
            return null;
        }

        await ItemAddedAsync(index, item);
        return index;
    }

    private int Add(FakeItem item)
    {
        lock (response.Sync)
        {
            response.Output.Add(item);
            return response.Output.Count - 1;
        }
    }

    private void MarkFirstTextDelta() => Request.Public.FirstTextDeltaAt ??= DateTimeOffset.UtcNow;

    private Task PauseAsync() => _interval > TimeSpan.Zero ? Task.Delay(_interval, cancellationToken) : Task.CompletedTask;

    private static void WriteEmptyLogprobs(Utf8JsonWriter w)
    {
        w.WriteStartArray(JsonNames.Logprobs);
        w.WriteEndArray();
    }

    private static int CountPieces(string text)
    {
        var count = 0;
        for (var position = 0; position < text.Length; position += TextChunker.Next(text, position))
        {
            count++;
        }

        return count;
    }
}
