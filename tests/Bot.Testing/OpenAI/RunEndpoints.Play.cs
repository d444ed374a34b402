using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>Playing the script that answers a run or a submit: streamed, in the background, replayed, or refused.</summary>
internal sealed partial class RunEndpoints
{
    private static readonly TimeSpan s_cutGrace = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_runAfterCut = TimeSpan.FromMilliseconds(400);

    private async Task PlayAsync(HttpContext context, StoredThread thread, StoredRun run, FakeResponseRequest request, bool continuation)
    {
        request.ResponseId = run.Id;
        state.RecordRunRequest(request);
        FakeResponse script;
        try
        {
            script = state.NextResponse(request);
        }
        catch (Exception e)
        {
            Forget(thread, run, continuation);
            await OpenAIHttp.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, $"The fake OpenAI server failed: {e}");
            return;
        }

        switch (script.Kind)
        {
            case FakeResponseKind.HttpError:
                Forget(thread, run, continuation);
                var error = script.Error!;
                await OpenAIHttp.WriteErrorAsync(context, error.Status, error.Message, error.Code, retryAfter: error.RetryAfter);
                return;
            case FakeResponseKind.Replay:
                await new AssistantReplay(state, context).RunAsync(thread, run, script, request.Stream, continuation);
                return;
        }

        if (!request.Stream)
        {
            await OpenAIHttp.OkAsync(context, run, AssistantJson.WriteRun);
            _ = Task.Run(() => PlayInBackgroundAsync(thread, run, script, request, continuation));
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, run.Cancellation.Token, state.Stopping);
        using var sse = ResponseEndpoints.StartStream(context);
        var player = new AssistantRun(state, thread, run, script, sse, continuation, request, cancellation.Token);
        FakeEnding ending;
        try
        {
            ending = await player.RunAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Cancelled through the API (tell the client, if it still listens), or the client went away: the run stays as it is.
            if (run.Cancellation.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                await WaitUntilEndedAsync(run);
                await player.WriteCancelledAsync().ContinueWith(_ => { }, TaskScheduler.Default);
            }

            return;
        }

        if (ending.Kind == FakeEndingKind.Cut)
        {
            CompleteLater(run);
            if (ending.Reset)
            {
                // Let the written events leave before the abort (see ResponseEndpoints).
                await Task.Delay(s_cutGrace, CancellationToken.None);
                context.Abort();
            }
        }
    }

    // A cut stream does not stop the run: the service finishes it a moment later, as a client polling it will see.
    private static void CompleteLater(StoredRun run) =>
        _ = Task.Delay(s_runAfterCut).ContinueWith(
            _ =>
            {
                lock (run.Sync)
                {
                    if (run.Status == "in_progress")
                    {
                        (run.Status, run.CompletedAt) = ("completed", FakeOpenAIState.Now());
                    }
                }
            },
            TaskScheduler.Default);

    private async Task PlayInBackgroundAsync(StoredThread thread, StoredRun run, FakeResponse script, FakeResponseRequest request, bool continuation)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token, state.Stopping);
        try
        {
            if ((await new AssistantRun(state, thread, run, script, null, continuation, request, cancellation.Token).RunAsync()).Kind == FakeEndingKind.Cut)
            {
                CompleteLater(run);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (run.Sync)
            {
                (run.Status, run.LastError) = ("failed", ("server_error", $"The fake OpenAI server failed: {e.Message}"));
            }
        }
    }

    // A run that an HTTP error refused never existed; a refused submit leaves the run waiting for outputs.
    private static void Forget(StoredThread thread, StoredRun run, bool continuation)
    {
        if (continuation)
        {
            lock (run.Sync)
            {
                run.Status = "requires_action";
            }

            return;
        }

        lock (thread.Sync)
        {
            thread.Runs.Remove(run);
        }
    }

    private static async Task WaitUntilEndedAsync(StoredRun run)
    {
        for (var i = 0; i < 100 && run.IsActive; i++)
        {
            await Task.Delay(10);
        }
    }

    // What the run answers: the user messages added since the previous run, or the submitted function outputs.
    private static FakeResponseRequest NewRequest(StoredThread thread, StoredRun run, bool stream, string json, Dictionary<string, string> outputs,
        List<StoredMessage> unseen)
    {
        var parts = unseen.SelectMany(m => m.Content).ToList();
        lock (thread.Sync)
        {
            return new FakeResponseRequest
            {
                ConversationId = thread.Id,
                Model = run.Model,
                Instructions = run.Instructions,
                UserText = string.Join("\n", parts.Where(p => p.Type == "text").Select(p => p.Text)),
                InputImageFileIds = [.. parts.Where(p => p.Type == "image_file").Select(p => p.FileId!)],
                InputFileIds = [.. unseen.SelectMany(m => m.Attachments).Select(a => a.FileId)],
                FunctionCallOutputs = outputs,
                HasFileSearch = AssistantEndpoints.HasTool(run.ToolsJson, "file_search"),
                VectorStoreIds = [.. thread.VectorStoreIds],
                HasCodeInterpreter = AssistantEndpoints.HasTool(run.ToolsJson, "code_interpreter"),
                CodeInterpreterFileIds = [.. thread.CodeInterpreterFileIds],
                FunctionNames = AssistantEndpoints.FunctionNames(run.ToolsJson),
                Stream = stream,
                Json = json,
            };
        }
    }
}
