using System.Runtime.CompilerServices;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Channels;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

public sealed partial class ResponsesBackend
{
    // Auto containers take at most 50 files (reference/openai.md §8.1); the newest matter most.
    private const int MaxContainerFiles = 50;

    public async IAsyncEnumerable<AssistantEvent> RunTurnAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversationId = await EnsureConversationAsync(request.Thread, cancellationToken).ConfigureAwait(false);
        await CancelUnfinishedAsync(conversationId, cancellationToken).ConfigureAwait(false);
        var settings = TurnSettingsFor(request.Overrides);
        var options = NewRequest(conversationId, request.Thread, settings);
        options.InputItems.Add(UserMessage(request));

        var turn = new ToolLoop(conversationId, request.Thread, settings, request.Approvals, request.Checkpoint, EndedBefore: false);
        var first = await OpenStreamAsync(options, request.Checkpoint, cancellationToken).ConfigureAwait(false);
        await foreach (var assistantEvent in RunRoundsAsync(turn, first, cancellationToken).ConfigureAwait(false))
            yield return assistantEvent;
    }

    /// <summary>What the rounds of one turn share: where they go, the settings, who approves, where progress is kept.</summary>
    /// <param name="EndedBefore">
    /// The first round's response had ended before this process read it (a turn picked up after a restart): its function
    /// calls may already have run once.
    /// </param>
    private sealed record ToolLoop(string ConversationId, RemoteThread Thread, RequestSettings Settings, Bot.Core.Tools.Approvals.IToolApprover Approvals,
        TurnCheckpoint? Checkpoint, bool EndedBefore);

    /// <summary>
    /// The rounds of a turn from its first response's events on: each response's events translated, its function calls
    /// run and approvals asked, and the next response streamed, until one ends the turn.
    /// </summary>
    private async IAsyncEnumerable<AssistantEvent> RunRoundsAsync(ToolLoop turn, IResponseEvents first, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var downloadedContainerFiles = 0;
        var images = 0;
        var imageOutputs = new List<CodeInterpreterCallImageOutput>();
        var mcp = new McpTurn();
        var source = first;
        var finished = false;
        try
        {
            for (var round = 1; ; round++)
            {
                var translator = new ResponseStreamTranslator(images, Options.ImageByteLimit, _logger);
                await using (source)
                {
                    while (await source.MoveNextAsync().ConfigureAwait(false))
                    {
                        // By index: a foreach over the interface would box the list's enumerator for every event.
                        var events = translator.Translate(source.Current);
                        for (var i = 0; i < events.Count; i++)
                            yield return events[i];
                    }
                }

                // Generated files are delivered with the final message, so fetch them once the stream is read
                // (the container keeps them for 20 idle minutes).
                foreach (var reference in translator.ContainerFiles)
                {
                    if (await DownloadAsync(reference, cancellationToken).ConfigureAwait(false) is { } file)
                    {
                        downloadedContainerFiles++;
                        yield return file;
                    }
                }

                images += translator.Images;
                if (translator.Final is null && !translator.EndedByImageFailure)
                    throw new AssistantFailureException(FailureKind.StreamCut, "The response stream ended without a terminal event.");
                imageOutputs.AddRange(translator.ImageOutputs);
                mcp.Observe(translator);

                if (translator.Incomplete || translator.EndedByImageFailure || (translator.FunctionCalls.Count == 0 && translator.ApprovalRequests.Count == 0))
                {
                    // Charts usually arrive as container file citations; images only seen as outputs are a fallback.
                    if (downloadedContainerFiles == 0)
                    {
                        foreach (var image in DecodeImages(imageOutputs))
                            yield return image;
                    }

                    if (mcp.FailedSilently)
                        yield return new ToolFailed(ToolKind.Mcp);
                    finished = true;
                    yield return new TurnFinished(translator.Incomplete, OutputText.ReasonOf(translator.Final?.IncompleteStatusDetails?.Reason?.ToString()));
                    yield break;
                }

                if (round >= Options.MaxToolRounds)
                    throw new AssistantFailureException(FailureKind.ServiceError, $"The assistant asked for tools in more than {Options.MaxToolRounds} rounds.");

                var next = NewRequest(turn.ConversationId, turn.Thread, turn.Settings);
                if (translator.FunctionCalls.Count > 0)
                {
                    if (round == 1 && turn.EndedBefore)
                        EnsureRerunnable(translator.Final!.Id, translator.FunctionCalls);
                    Log.FunctionCalls(_logger, translator.Final!.Id, translator.FunctionCalls.Count, round);
                    // Recorded before the events that say so: the core stores the resume point when it sees the change.
                    turn.Checkpoint?.RunningTool = RunningToolOf(translator.FunctionCalls);
                    foreach (var call in translator.FunctionCalls)
                        yield return new ToolActivity(ToolKind.Function, Running: true, call.FunctionName);
                    var outputs = await Task.WhenAll(translator.FunctionCalls.Select(call =>
                        _tools.InvokeAsync(call.FunctionName, call.FunctionArguments?.ToString() ?? "{}", cancellationToken))).ConfigureAwait(false);
                    turn.Checkpoint?.RunningTool = null;
                    yield return new ToolActivity(ToolKind.Function, Running: false);
                    for (var i = 0; i < outputs.Length; i++)
                        next.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(translator.FunctionCalls[i].CallId, outputs[i]));
                }

                // The same turn goes on: each approval request is put to the person who asked, and answered in the next request.
                await AnswerApprovalsAsync(translator.ApprovalRequests, turn.Approvals, next.InputItems, cancellationToken).ConfigureAwait(false);
                source = await OpenStreamAsync(next, turn.Checkpoint, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Stopped, failed or cut past resuming: a background response left going would lock the conversation for
            // the next turn, which therefore cancels it first (unless the core cancelled it already).
            if (!finished && source.RunningResponseId is { } running)
                _unfinished[turn.ConversationId] = running;
        }
    }

    // Everything a request carries each time: the model, instructions and tools are not remembered
    // by the conversation, only its items are. They are the place's where it set them (see TurnSettingsFor).
    private CreateResponseOptions NewRequest(string conversationId, RemoteThread thread, RequestSettings settings)
    {
        var options = new CreateResponseOptions
        {
            Model = settings.Model,
            Instructions = settings.Instructions,
            StreamingEnabled = true,
            ConversationOptions = new ResponseConversationOptions(conversationId),
        };

        if (settings.CodeInterpreter)
        {
            var files = thread.CodeInterpreterFileIds.TakeLast(MaxContainerFiles);
            options.Tools.Add(ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer(
                CodeInterpreterToolContainerConfiguration.CreateAutomaticContainerConfiguration(files))));
            options.IncludedProperties.Add(IncludedResponseProperty.CodeInterpreterCallOutputs);
        }

        if (settings.FileSearch && thread.VectorStoreId is { } vectorStoreId)
            options.Tools.Add(ResponseTool.CreateFileSearchTool([vectorStoreId], null, null, null));

        if (settings.WebSearch)
            options.Tools.Add(ResponseTool.CreateWebSearchTool());

        if (settings.ImageGeneration)
            options.Tools.Add(ImageGenerationTool());
        _mcpServers.AddTo(options.Tools, settings.DisabledMcpServers);

        foreach (var tool in _tools.Tools)
        {
            options.Tools.Add(ResponseTool.CreateFunctionTool(tool.Name, BinaryData.FromString(tool.ParametersJsonSchema),
                strictModeEnabled: false, tool.Description));
        }

        return options;
    }

    private static MessageResponseItem UserMessage(TurnRequest request)
    {
        var parts = new List<ResponseContentPart>();
        if (request.Text.Length > 0)
            parts.Add(ResponseContentPart.CreateInputTextPart(request.Text));
        foreach (var image in request.Files.Where(f => f.Target == AttachmentTarget.Vision))
            parts.Add(ResponseContentPart.CreateInputImagePart(image.FileId, ResponseImageDetailLevel.Auto));
        return ResponseItem.CreateUserMessageItem(parts);
    }

    // The file, or a note when it is over the limit: either way the container file has been dealt with.
    private async Task<AssistantEvent?> DownloadAsync(ContainerFileReference reference, CancellationToken cancellationToken)
    {
        try
        {
            var content = await OutputFileContent.ReadAsync(
                options => Clients.Containers.DownloadContainerFileAsync(reference.ContainerId, reference.FileId, options),
                Options.MaxOutputFileBytes, cancellationToken).ConfigureAwait(false);
            if (content is not { } bytes)
            {
                Log.OutputFileTooLarge(_logger, reference.FileId, reference.FileName, Options.MaxOutputFileBytes);
                return new OutputFileTooLarge(reference.FileName, Options.MaxOutputFileBytes, reference.FileId);
            }

            return new OutputFileReady(new OutputFile(reference.FileName, MediaTypes.FromFileName(reference.FileName), bytes), reference.FileId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.OutputDownloadFailed(_logger, reference.FileId, reference.ContainerId, ex);
            return null;
        }
    }

    private IEnumerable<AssistantEvent> DecodeImages(IEnumerable<CodeInterpreterCallImageOutput> outputs)
    {
        var number = 0;
        foreach (var output in outputs)
        {
            number++;
            var uri = output.ImageUri;
            if (uri is null || !MediaTypes.TryDecodeDataUri(uri.OriginalString, Options.MaxOutputFileBytes, out var mediaType, out var bytes))
            {
                // Only inline images: other URLs would mean a download from a host nobody allow-listed.
                Log.ImageOutputSkipped(_logger, uri?.Scheme ?? "none");
                continue;
            }

            var name = $"image-{number}{MediaTypes.ExtensionOf(mediaType)}";
            if (bytes is null)
            {
                Log.OutputFileTooLarge(_logger, $"image-output-{number}", name, Options.MaxOutputFileBytes);
                yield return new OutputFileTooLarge(name, Options.MaxOutputFileBytes, $"image-output-{number}");
                continue;
            }

            yield return new OutputFileReady(new OutputFile(name, mediaType, bytes), $"image-output-{number}");
        }
    }
}
