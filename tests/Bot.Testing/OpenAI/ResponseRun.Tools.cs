namespace Bot.Testing.OpenAI;

/// <summary>The tool-call steps: function calls, code interpreter (with a generated file) and file search.</summary>
internal sealed partial class ResponseRun
{
    // Function-call arguments arrive in a few deltas, like the recorded stream's.
    private const int ArgumentDeltas = 4;

    private async Task FunctionCallAsync(FunctionCallStep step)
    {
        var item = new FunctionCallItem(FakeIds.FunctionCall(), step.CallId ?? FakeIds.Call(), step.Name, step.Arguments);
        var index = Add(item);
        if (sse is null)
        {
            _outputTokens += Math.Min(ArgumentDeltas, step.Arguments.Length);
            item.Done = true;
            return;
        }

        await ItemAddedAsync(index, item);
        for (var position = 0; position < step.Arguments.Length;)
        {
            await PauseAsync();
            var length = TextChunker.NextEven(step.Arguments, position, ArgumentDeltas);
            var w = sse.Begin(EventTypes.FunctionArgumentsDelta);
            w.WriteString(JsonNames.ItemId, item.Id);
            w.WriteNumber(JsonNames.OutputIndex, index);
            w.WriteString(JsonNames.Delta, step.Arguments.AsSpan(position, length));
            await sse.EndAsync();
            position += length;
            _outputTokens++;
        }

        var done = sse.Begin(EventTypes.FunctionArgumentsDone);
        done.WriteString(JsonNames.ItemId, item.Id);
        done.WriteNumber(JsonNames.OutputIndex, index);
        done.WriteString("name", step.Name);
        done.WriteString("arguments", step.Arguments);
        await sse.EndAsync();
        await ItemDoneAsync(index, item);
    }

    private async Task CodeInterpreterAsync(CodeInterpreterStep step)
    {
        var container = state.ContainerFor(conversation, Request.Public.CodeInterpreterContainerId);
        var path = $"/mnt/data/{step.Filename}";
        var file = new StoredContainerFile(FakeIds.ContainerFile(), container.Id, path, "assistant", step.Content, FakeOpenAIState.Now(), step.Size);
        lock (container.Sync)
        {
            container.Files.Add(file);
        }

        string? logs = null;
        string? imageUrl = null;
        if (Request.IncludesCodeInterpreterOutputs)
        {
            logs = $"Saved {path} ({file.Bytes} bytes)";
            imageUrl = step.Filename.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
                ? new Uri(state.BaseUri, $"containers/{container.Id}/files/{file.Id}/content").AbsoluteUri
                : null;
        }

        _pendingFileCitations.Add(new OutputAnnotation(OutputAnnotation.ContainerFileCitation, file.Id, step.Filename, 0, container.Id));
        var item = new CodeInterpreterCallItem(FakeIds.CodeInterpreterCall(), container.Id, step.Code, logs, imageUrl);
        var index = Add(item);
        if (sse is null)
        {
            _outputTokens += CountPieces(step.Code);
            item.Done = true;
            return;
        }

        await ItemAddedAsync(index, item);
        await ToolEventAsync(EventTypes.CodeInterpreterInProgress, index, item);
        for (var position = 0; position < step.Code.Length;)
        {
            await PauseAsync();
            var length = TextChunker.Next(step.Code, position);
            var w = sse.Begin(EventTypes.CodeInterpreterCodeDelta);
            w.WriteNumber(JsonNames.OutputIndex, index);
            w.WriteString(JsonNames.ItemId, item.Id);
            w.WriteString(JsonNames.Delta, step.Code.AsSpan(position, length));
            await sse.EndAsync();
            position += length;
            _outputTokens++;
        }

        var done = sse.Begin(EventTypes.CodeInterpreterCodeDone);
        done.WriteNumber(JsonNames.OutputIndex, index);
        done.WriteString(JsonNames.ItemId, item.Id);
        done.WriteString("code", step.Code);
        await sse.EndAsync();
        await ToolEventAsync(EventTypes.CodeInterpreterInterpreting, index, item);
        await ToolEventAsync(EventTypes.CodeInterpreterCompleted, index, item);
        await ItemDoneAsync(index, item);
    }

    private async Task FileSearchAsync(IReadOnlyList<string> queries)
    {
        var item = new FileSearchCallItem(FakeIds.FileSearchCall(), queries, Request.IncludesFileSearchResults ? SearchHits() : null);
        if (await StartItemAsync(item) is not { } index)
            return;
        await ToolEventAsync(EventTypes.FileSearchInProgress, index, item);
        await ToolEventAsync(EventTypes.FileSearchSearching, index, item);
        await SearchPauseAsync();
        await ToolEventAsync(EventTypes.FileSearchCompleted, index, item);
        await ItemDoneAsync(index, item);
    }

    // A search takes a while on the real service (it is when "Searching files…" or "Searching the web…" shows):
    // ten token intervals here.
    private async Task SearchPauseAsync()
    {
        for (var i = 0; i < 10; i++)
            await PauseAsync();
    }

    private async Task ToolEventAsync(System.Text.Json.JsonEncodedText type, int index, FakeItem item)
    {
        var w = sse!.Begin(type);
        w.WriteNumber(JsonNames.OutputIndex, index);
        w.WriteString(JsonNames.ItemId, item.Id);
        await sse.EndAsync();
    }

    /// <summary>"Hits" are the start of every file in the request's vector stores: enough for a bot to show sources.</summary>
    private List<FileSearchHit> SearchHits()
    {
        var hits = new List<FileSearchHit>();
        foreach (var storeId in Request.Public.VectorStoreIds)
        {
            if (!state.VectorStores.TryGetValue(storeId, out var store))
            {
                continue;
            }

            List<string> fileIds;
            lock (store.Sync)
            {
                fileIds = [.. store.Files.Select(f => f.FileId)];
            }

            foreach (var fileId in fileIds)
            {
                if (state.Files.TryGetValue(fileId, out var file))
                {
                    var text = System.Text.Encoding.UTF8.GetString(file.Content, 0, Math.Min(file.Content.Length, 400));
                    hits.Add(new FileSearchHit(file.Id, file.Filename, text, 0.9));
                }
            }
        }

        return hits;
    }
}
