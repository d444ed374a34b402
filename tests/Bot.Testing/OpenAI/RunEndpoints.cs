using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>
/// /v1/threads/{id}/runs: create (streamed or not), list, get, cancel, submit_tool_outputs, steps. One active run
/// per thread; a run lives on when its stream's client goes away, as on the service, until it is cancelled.
/// </summary>
internal sealed partial class RunEndpoints(FakeOpenAIState state)
{
    private static readonly TimeSpan s_cancelDelay = TimeSpan.FromMilliseconds(20);

    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/threads/{id}/runs", CreateAsync);
        v1.MapGet("/threads/{id}/runs", ListAsync);
        v1.MapGet("/threads/{id}/runs/{runId}", GetAsync);
        v1.MapPost("/threads/{id}/runs/{runId}/cancel", CancelAsync);
        v1.MapPost("/threads/{id}/runs/{runId}/submit_tool_outputs", SubmitAsync);
        v1.MapGet("/threads/{id}/runs/{runId}/steps", ListStepsAsync);
    }

    private static Task RunNotFoundAsync(HttpContext context, string runId) =>
        OpenAIHttp.NotFoundAsync(context, $"No run found with id '{runId}'.");

    private async Task CreateAsync(HttpContext context)
    {
        var threadId = OpenAIHttp.Route(context, "id");
        using var body = await AssistantEndpoints.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var assistantId = ParsedResponseRequest.String(root, "assistant_id") ?? string.Empty;
        if (!state.Threads.TryGetValue(threadId, out var thread))
        {
            await ThreadEndpoints.NotFoundAsync(context, threadId);
            return;
        }

        if (!state.Assistants.TryGetValue(assistantId, out var assistant))
        {
            await AssistantEndpoints.NotFoundAsync(context, assistantId);
            return;
        }

        var run = new StoredRun(FakeIds.Run(), thread.Id, assistant.Id, FakeOpenAIState.Now());
        lock (assistant.Sync)
        {
            run.Model = ParsedResponseRequest.String(root, "model") ?? assistant.Model;
            run.Instructions = ParsedResponseRequest.String(root, "instructions") ?? assistant.Instructions;
            var tools = ParsedResponseRequest.Property(root, "tools");
            run.ToolsJson = tools.ValueKind == JsonValueKind.Array ? tools.GetRawText() : assistant.ToolsJson;
        }

        List<StoredMessage> unseen;
        string? activeRunId;
        lock (thread.Sync)
        {
            activeRunId = thread.ActiveRun?.Id;
            unseen = [];
            if (activeRunId is null)
            {
                unseen = thread.Messages.Skip(thread.UnseenFrom).Where(m => m.Role == "user").ToList();
                thread.UnseenFrom = thread.Messages.Count;
                thread.Runs.Add(run);
            }
        }

        if (activeRunId is not null)
        {
            state.RecordRunActiveError();
            await OpenAIHttp.BadRequestAsync(context, $"Thread {thread.Id} already has an active run {activeRunId}.");
            return;
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        await PlayAsync(context, thread, run, NewRequest(thread, run, stream, root.GetRawText(), new Dictionary<string, string>(), unseen), continuation: false);
    }

    private async Task SubmitAsync(HttpContext context)
    {
        using var body = await AssistantEndpoints.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var (thread, run) = Find(context);
        if (thread is null || run is null)
        {
            await RunNotFoundAsync(context, OpenAIHttp.Route(context, "runId"));
            return;
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(body.RootElement, "tool_outputs")))
        {
            outputs[ParsedResponseRequest.String(output, "tool_call_id") ?? string.Empty] = ParsedResponseRequest.String(output, "output") ?? string.Empty;
        }

        string? refusal = null;
        lock (run.Sync)
        {
            var expected = run.RequiredCalls.Select(c => c.Id).ToList();
            if (run.Status != "requires_action")
            {
                refusal = $"Runs in status \"{run.Status}\" do not accept tool outputs.";
            }
            else if (!expected.All(outputs.ContainsKey))
            {
                refusal = $"Expected tool outputs for call_ids [{string.Join(", ", expected)}], got [{string.Join(", ", outputs.Keys)}]";
            }
            else
            {
                run.RequiredCalls.Clear();
                run.Status = "queued";
            }
        }

        if (refusal is not null)
        {
            await OpenAIHttp.BadRequestAsync(context, refusal);
            return;
        }

        var stream = body.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        await PlayAsync(context, thread, run, NewRequest(thread, run, stream, body.RootElement.GetRawText(), outputs, []), continuation: true);
    }

    private Task ListAsync(HttpContext context)
    {
        if (!state.Threads.TryGetValue(OpenAIHttp.Route(context, "id"), out var thread))
        {
            return ThreadEndpoints.NotFoundAsync(context, OpenAIHttp.Route(context, "id"));
        }

        List<StoredRun> runs;
        lock (thread.Sync)
        {
            runs = [.. thread.Runs];
        }

        return OpenAIHttp.OkAsync(context, (context.Request, runs), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.runs, static r => r.Id, AssistantJson.WriteRun));
    }

    private Task GetAsync(HttpContext context)
    {
        var (_, run) = Find(context);
        return run is null ? RunNotFoundAsync(context, OpenAIHttp.Route(context, "runId")) : OpenAIHttp.OkAsync(context, run, AssistantJson.WriteRun);
    }

    private async Task CancelAsync(HttpContext context)
    {
        var (_, run) = Find(context);
        if (run is null)
        {
            await RunNotFoundAsync(context, OpenAIHttp.Route(context, "runId"));
            return;
        }

        string status;
        lock (run.Sync)
        {
            status = run.Status;
            if (run.IsActive)
            {
                run.Status = "cancelling";
            }
        }

        if (status is not ("queued" or "in_progress" or "requires_action" or "cancelling"))
        {
            await OpenAIHttp.BadRequestAsync(context, $"Cannot cancel run with status '{status}'.");
            return;
        }

        await OpenAIHttp.OkAsync(context, run, AssistantJson.WriteRun);
        await run.Cancellation.CancelAsync();
        // The service takes a moment to get from cancelling to cancelled.
        _ = Task.Delay(s_cancelDelay).ContinueWith(
            _ =>
            {
                lock (run.Sync)
                {
                    (run.Status, run.CancelledAt) = ("cancelled", FakeOpenAIState.Now());
                }
            },
            TaskScheduler.Default);
    }

    private Task ListStepsAsync(HttpContext context)
    {
        var (_, run) = Find(context);
        if (run is null)
        {
            return RunNotFoundAsync(context, OpenAIHttp.Route(context, "runId"));
        }

        List<StoredRunStep> steps;
        lock (run.Sync)
        {
            steps = [.. run.Steps];
        }

        return OpenAIHttp.OkAsync(context, (context.Request, steps, run), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.steps, static step => step.Id, (w2, step) => AssistantJson.WriteStep(w2, step, s.run)));
    }

    private (StoredThread? Thread, StoredRun? Run) Find(HttpContext context)
    {
        if (!state.Threads.TryGetValue(OpenAIHttp.Route(context, "id"), out var thread))
        {
            return (null, null);
        }

        var runId = OpenAIHttp.Route(context, "runId");
        lock (thread.Sync)
        {
            return (thread, thread.Runs.Find(r => r.Id == runId));
        }
    }

}
