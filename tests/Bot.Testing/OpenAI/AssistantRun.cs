using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>
/// Plays one scripted <see cref="FakeResponse"/> as (a stretch of) an Assistants run: the run, step and message
/// events of openai.md §3 in the order of the recorded streams. Function calls pause the run in
/// <c>requires_action</c>; the script that answers the submitted outputs plays the next stretch of the same run.
/// Without an SSE writer (a non-streamed run) the same steps only change the stored run and thread.
/// </summary>
internal sealed partial class AssistantRun(
    FakeOpenAIState state,
    StoredThread thread,
    StoredRun run,
    FakeResponse script,
    SseEventWriter? sse,
    bool continuation,
    FakeResponseRequest request,
    CancellationToken cancellationToken)
{
    private static readonly JsonEncodedText s_created = JsonEncodedText.Encode("thread.run.created");
    private static readonly JsonEncodedText s_queued = JsonEncodedText.Encode("thread.run.queued");
    private static readonly JsonEncodedText s_inProgress = JsonEncodedText.Encode("thread.run.in_progress");
    private static readonly JsonEncodedText s_requiresAction = JsonEncodedText.Encode("thread.run.requires_action");
    private static readonly JsonEncodedText s_completed = JsonEncodedText.Encode("thread.run.completed");
    private static readonly JsonEncodedText s_failed = JsonEncodedText.Encode("thread.run.failed");
    private static readonly JsonEncodedText s_incomplete = JsonEncodedText.Encode("thread.run.incomplete");
    private static readonly JsonEncodedText s_expired = JsonEncodedText.Encode("thread.run.expired");
    private static readonly JsonEncodedText s_cancelled = JsonEncodedText.Encode("thread.run.cancelled");
    private static readonly JsonEncodedText s_error = JsonEncodedText.Encode("error");

    private readonly TimeSpan _interval = script.Interval ?? state.DefaultTokenInterval;
    private readonly List<GeneratedOutput> _generated = [];

    /// <summary>Runs the steps and the ending; returns how it ended.</summary>
    public async Task<FakeEnding> RunAsync()
    {
        if (!continuation)
        {
            await WriteRunAsync(s_created);
        }

        await WriteRunAsync(s_queued);
        Set(r => (r.Status, r.StartedAt) = ("in_progress", r.StartedAt ?? FakeOpenAIState.Now()));
        await WriteRunAsync(s_inProgress);
        if (continuation)
        {
            await CompleteFunctionStepsAsync();
        }

        var ending = script.Ending ?? FakeEnding.Default;
        var steps = script.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (steps[i])
            {
                case TextStep text:
                    var cutHere = ending.Kind == FakeEndingKind.Cut && i == steps.Count - 1;
                    await MessageAsync(text.Text, text.Citations, cutHere);
                    break;
                case FunctionCallStep call:
                    await FunctionCallAsync(call);
                    break;
                case CodeInterpreterStep code:
                    await CodeInterpreterAsync(code);
                    break;
                case FileSearchStep:
                    await FileSearchAsync();
                    break;
                case DelayStep delay:
                    await Task.Delay(delay.Delay, cancellationToken);
                    break;
            }
        }

        if (_generated.Count > 0 && ending.Kind is FakeEndingKind.Completed or FakeEndingKind.Incomplete)
        {
            // Generated files are shown by the message after the tool call; a script without one still gets it.
            await MessageAsync(string.Empty, [], suppressCompletion: false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool pauses;
        lock (run.Sync)
        {
            pauses = run.RequiredCalls.Count > 0 && ending.Kind == FakeEndingKind.Completed;
        }

        if (pauses)
        {
            Set(r => r.Status = "requires_action");
            await WriteRunAsync(s_requiresAction);
            await DoneAsync();
            return ending;
        }

        await EndAsync(ending);
        return ending;
    }

    private async Task EndAsync(FakeEnding ending)
    {
        var now = FakeOpenAIState.Now();
        Set(r =>
        {
            if (r.Status is "cancelling" or "cancelled")
            {
                // POST …/cancel won the race with the last step.
                throw new OperationCanceledException();
            }

            r.Usage = script.ReportedUsage ?? (Math.Max(1, request.UserText.Length / 4), r.CompletionTokens);
            r.CachedPromptTokens = script.ReportedCachedTokens;
            switch (ending.Kind)
            {
                case FakeEndingKind.Completed:
                    (r.Status, r.CompletedAt) = ("completed", now);
                    break;
                case FakeEndingKind.Cut:
                    // The run goes on at the service; RunEndpoints completes it a moment after the stream is cut.
                    break;
                case FakeEndingKind.Incomplete:
                    // The Assistants API names the budgets max_completion_tokens / max_prompt_tokens.
                    (r.Status, r.IncompleteReason) = ("incomplete", ending.Reason == "max_output_tokens" ? "max_completion_tokens" : ending.Reason);
                    break;
                case FakeEndingKind.Expired:
                    r.Status = "expired";
                    break;
                case FakeEndingKind.Cancelled:
                    (r.Status, r.CancelledAt) = ("cancelled", now);
                    break;
                default:
                    (r.Status, r.FailedAt, r.LastError) = ("failed", now, (ending.Code ?? "server_error", ending.Message ?? string.Empty));
                    break;
            }
        });

        // The run left the active statuses above, so the thread takes messages again before the client reads the event.
        switch (ending.Kind)
        {
            case FakeEndingKind.Completed:
                await WriteRunAsync(s_completed);
                break;
            case FakeEndingKind.Incomplete:
                await WriteRunAsync(s_incomplete);
                break;
            case FakeEndingKind.Expired:
                await WriteRunAsync(s_expired);
                break;
            case FakeEndingKind.Cancelled:
                await WriteRunAsync(s_cancelled);
                break;
            case FakeEndingKind.Failed:
                await WriteRunAsync(s_failed);
                break;
            case FakeEndingKind.ErrorEvent when sse is not null:
                var w = sse.BeginObject(s_error);
                w.WriteString("code", ending.Code);
                w.WriteString("message", ending.Message);
                w.WriteNull("param");
                w.WriteString("type", ending.Code);
                await sse.EndAsync();
                return;
            case FakeEndingKind.Cut:
                return;
        }

        await DoneAsync();
    }

    /// <summary>After cancellation through the API: tells a still-connected client how the run ended.</summary>
    public async Task WriteCancelledAsync()
    {
        if (sse is null)
        {
            return;
        }

        await WriteRunAsync(s_cancelled);
        await DoneAsync();
    }

    private async Task WriteRunAsync(JsonEncodedText eventName)
    {
        if (sse is null)
        {
            return;
        }

        AssistantJson.WriteRun(sse.BeginData(eventName), run);
        await sse.EndDataAsync();
    }

    private ValueTask DoneAsync() => sse is null ? ValueTask.CompletedTask : sse.WriteDoneAsync();

    private void Set(Action<StoredRun> change)
    {
        lock (run.Sync)
        {
            change(run);
        }
    }

    private Task PauseAsync() => _interval > TimeSpan.Zero ? Task.Delay(_interval, cancellationToken) : Task.CompletedTask;

    /// <summary>A file the code interpreter wrote, to be shown by the next message.</summary>
    private sealed record GeneratedOutput(string FileId, string Filename, bool IsImage);
}
