using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>
/// Streams a recorded Assistants run (`assistants_run_stream_*.sse`) byte for byte. The stored run takes the
/// recording's run id and follows its run events, and the thread takes the messages it completes, so a
/// submit_tool_outputs after a recorded `thread.run.requires_action` finds the run waiting for exactly the recorded
/// calls, and a client that fetches the run after a cut finds what the service made of it. A test may add events
/// of its own and break the stream off (<see cref="FakeResponse.InsertEvent"/>, <see cref="FakeResponse.CutAfter"/>).
/// </summary>
internal sealed class AssistantReplay(FakeOpenAIState state, HttpContext context)
{
    private static readonly TimeSpan s_cutGrace = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_runAfterCut = TimeSpan.FromMilliseconds(400);

    public async Task RunAsync(StoredThread thread, StoredRun created, FakeResponse script, bool stream, bool continuation)
    {
        var frames = state.AssistantReplays.GetOrAdd(script.ReplayPath!, Load);
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
            foreach (var frame in frames)
            {
                Follow(thread, run, frame);
            }

            await OpenAIHttp.OkAsync(context, run, AssistantJson.WriteRun);
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, run.Cancellation.Token, state.Stopping);
        using var sse = ResponseEndpoints.StartStream(context);
        var cut = script.ReplayCut;
        var written = 0;
        try
        {
            for (; written <= frames.Count; written++)
            {
                foreach (var (_, inserted) in script.InsertedEvents.Where(e => e.Before == written))
                {
                    await sse.WriteRawAsync(inserted);
                }

                if (written == frames.Count || written == cut?.After)
                {
                    break;
                }

                if (state.DefaultTokenInterval > TimeSpan.Zero)
                {
                    await Task.Delay(state.DefaultTokenInterval, cancellation.Token);
                }

                // The stored run changes before the client reads the event, so that it may act on it at once.
                Follow(thread, run, frames[written]);
                await sse.WriteRawAsync(frames[written].Bytes);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away or the run was cancelled: the run stays as the last event left it.
            return;
        }

        if (cut is { } stop && written < frames.Count)
        {
            // The run goes on at the service without the client: a moment later it stands as the recording ends it.
            var rest = frames.Skip(written).ToList();
            _ = Task.Delay(s_runAfterCut).ContinueWith(_ => rest.ForEach(frame => Follow(thread, run, frame)), TaskScheduler.Default);
            if (stop.Reset)
            {
                // Let the written events leave before the abort (see ResponseEndpoints).
                await Task.Delay(s_cutGrace, CancellationToken.None);
                context.Abort();
            }
        }
    }

    private static void Follow(StoredThread thread, StoredRun run, AssistantReplayFrame frame)
    {
        lock (run.Sync)
        {
            if (!run.IsActive)
            {
                // Ended (or cancelled) meanwhile: nothing the recording goes on to say changes it.
                return;
            }
        }

        if (frame.Message is { } recorded)
        {
            lock (thread.Sync)
            {
                thread.Messages.Add(recorded.ToStored(thread.Id));
            }
        }

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

            else if (name == "thread.message.completed")
            {
                using var json = JsonDocument.Parse(data);
                frame = frame with { Message = RecordedMessage.Read(json.RootElement) };
            }

            frames.Add(frame);
        }

        return frames;
    }

}

/// <summary>One recorded event, with the run id and status a run event carries, or the message it completes.</summary>
internal sealed record AssistantReplayFrame(ReadOnlyMemory<byte> Bytes, string? RunId = null, string? Status = null, RecordedMessage? Message = null)
{
    public List<(string Id, string Name, string Arguments)> RequiredCalls { get; } = [];
}

/// <summary>A message a recording completes, to be stored in the thread the replay plays in.</summary>
internal sealed record RecordedMessage(string Id, string? RunId, string? AssistantId, string Role, long CreatedAt, IReadOnlyList<StoredContentPart> Content)
{
    public static RecordedMessage Read(JsonElement message)
    {
        var content = new List<StoredContentPart>();
        foreach (var part in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(message, "content")))
        {
            switch (ParsedResponseRequest.String(part, "type"))
            {
                case "text":
                    var text = ParsedResponseRequest.Property(part, "text");
                    var annotations = ParsedResponseRequest.Elements(ParsedResponseRequest.Property(text, "annotations")).Select(Annotation).ToList();
                    content.Add(new StoredContentPart("text", ParsedResponseRequest.String(text, "value") ?? string.Empty, Annotations: annotations));
                    break;
                case "image_file":
                    content.Add(new StoredContentPart("image_file", FileId: ParsedResponseRequest.String(ParsedResponseRequest.Property(part, "image_file"), "file_id")));
                    break;
            }
        }

        return new RecordedMessage(ParsedResponseRequest.String(message, "id") ?? FakeIds.ThreadMessage(), ParsedResponseRequest.String(message, "run_id"),
            ParsedResponseRequest.String(message, "assistant_id"), ParsedResponseRequest.String(message, "role") ?? "assistant",
            message.TryGetProperty("created_at", out var at) && at.TryGetInt64(out var seconds) ? seconds : FakeOpenAIState.Now(), content);
    }

    public StoredMessage ToStored(string threadId)
    {
        var message = new StoredMessage(Id, threadId, Role, CreatedAt) { RunId = RunId, AssistantId = AssistantId, Status = "completed" };
        message.Content.AddRange(Content);
        return message;
    }

    // {"type":"file_citation","text":"【4:0†a.txt】","start_index":29,"end_index":53,"file_citation":{"file_id":"file-…"}}, or file_path
    private static ThreadAnnotation Annotation(JsonElement annotation)
    {
        var type = ParsedResponseRequest.String(annotation, "type") ?? "file_citation";
        return new ThreadAnnotation(type, ParsedResponseRequest.String(annotation, "text") ?? string.Empty, Index(annotation, "start_index"),
            Index(annotation, "end_index"), ParsedResponseRequest.String(ParsedResponseRequest.Property(annotation, type), "file_id") ?? string.Empty);
    }

    private static int Index(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt32(out var index) ? index : 0;
}
