using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>
/// Streams a recorded Assistants run (`assistants_run_stream_*.sse`) byte for byte. The stored run takes the
/// recording's run id and follows its run events, so a submit_tool_outputs after a recorded
/// `thread.run.requires_action` finds the run waiting for exactly the recorded calls.
/// </summary>
internal sealed class AssistantReplay(FakeOpenAIState state, HttpContext context)
{
    public async Task RunAsync(StoredThread thread, StoredRun created, string path, bool stream, bool continuation)
    {
        var frames = state.AssistantReplays.GetOrAdd(path, Load);
        var recordedId = frames.Select(f => f.RunId).FirstOrDefault(id => id is not null) ?? created.Id;
        var run = created;
        if (!continuation && recordedId != created.Id)
        {
            run = new StoredRun(recordedId, thread.Id, created.AssistantId, created.CreatedAt) { Model = created.Model, ToolsJson = created.ToolsJson };
            lock (thread.Sync)
            {
                thread.Runs[thread.Runs.IndexOf(created)] = run;
            }
        }

        if (!stream)
        {
            foreach (var frame in frames.Where(f => f.RunId is not null))
            {
                Follow(run, frame);
            }

            await OpenAIHttp.OkAsync(context, run, AssistantJson.WriteRun);
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, run.Cancellation.Token, state.Stopping);
        using var sse = ResponseEndpoints.StartStream(context);
        try
        {
            foreach (var frame in frames)
            {
                if (state.DefaultTokenInterval > TimeSpan.Zero)
                {
                    await Task.Delay(state.DefaultTokenInterval, cancellation.Token);
                }

                // The stored run changes before the client reads the event, so that it may act on it at once.
                Follow(run, frame);
                await sse.WriteRawAsync(frame.Bytes);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away or the run was cancelled: the run stays as the last event left it.
        }
    }

    private static void Follow(StoredRun run, AssistantReplayFrame frame)
    {
        if (frame.RunId is null || frame.Status is null)
        {
            return;
        }

        lock (run.Sync)
        {
            run.Status = frame.Status;
            run.RequiredCalls.Clear();
            run.RequiredCalls.AddRange(frame.RequiredCalls);
            if (frame.Status == "completed")
            {
                run.CompletedAt = FakeOpenAIState.Now();
            }
        }
    }

    private static List<AssistantReplayFrame> Load(string path)
    {
        var frames = new List<AssistantReplayFrame>();
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?[7..] ?? string.Empty;
            var data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?[6..] ?? string.Empty;
            var frame = new AssistantReplayFrame(Encoding.UTF8.GetBytes(block + "\n\n"));
            if (name.StartsWith("thread.run.", StringComparison.Ordinal) && !name.StartsWith("thread.run.step", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(data);
                var root = json.RootElement;
                frame = frame with { RunId = ParsedResponseRequest.String(root, "id"), Status = ParsedResponseRequest.String(root, "status") };
                var calls = ParsedResponseRequest.Property(ParsedResponseRequest.Property(root, "required_action"), "submit_tool_outputs");
                foreach (var call in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(calls, "tool_calls")))
                {
                    var function = ParsedResponseRequest.Property(call, "function");
                    frame.RequiredCalls.Add((ParsedResponseRequest.String(call, "id") ?? string.Empty, ParsedResponseRequest.String(function, "name") ?? string.Empty,
                        ParsedResponseRequest.String(function, "arguments") ?? "{}"));
                }
            }

            frames.Add(frame);
        }

        return frames;
    }

}

/// <summary>One recorded event, with the run id and status a run event carries.</summary>
internal sealed record AssistantReplayFrame(ReadOnlyMemory<byte> Bytes, string? RunId = null, string? Status = null)
{
    public List<(string Id, string Name, string Arguments)> RequiredCalls { get; } = [];
}
