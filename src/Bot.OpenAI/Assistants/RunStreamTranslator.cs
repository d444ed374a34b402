using Bot.Core.Backends;
using Bot.OpenAI.Streaming;
using OpenAI.Assistants;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// Translates the events of one run stream (the first one, or one after submitted tool outputs; openai.md §3) into
/// assistant events, straight from each event's type and UTF-8 data as <see cref="SseEventReader{T}"/> hands them
/// over, and remembers what the turn loop acts on afterwards: the run id, its terminal state, the function calls it
/// requires, and the finished messages (whose citations and generated files need further calls). Text deltas,
/// nearly all events of an answer, and the events that only name the run are read without the SDK's models; runs
/// that pause or end, tool steps and finished messages become the SDK's objects. Unknown event types are ignored,
/// as the protocol allows new ones; an <c>error</c> event throws.
/// </summary>
internal sealed class RunStreamTranslator
{
    private readonly List<AssistantEvent> _events = [];
    private readonly List<DeltaText> _texts = [];
    private readonly RepeatedString _messageIds = new();
    private readonly RepeatedString _runIds = new();
    private string? _lastMessageId;
    private int _lastIndex = -1;
    private string? _lastPartId;

    /// <summary>The run this stream belongs to, once an event named it.</summary>
    public string? RunId { get; private set; }

    /// <summary>The run as its terminal event showed it, or null while the run goes on.</summary>
    public ThreadRun? Terminal { get; private set; }

    /// <summary>The function calls of a <c>requires_action</c> pause.</summary>
    public List<PendingCall> RequiredCalls { get; } = [];

    /// <summary>Finished (or incomplete) assistant messages, to be rendered by the turn loop in order.</summary>
    public List<ThreadMessage> FinishedMessages { get; } = [];

    /// <summary>Images the code interpreter produced, as run-step outputs (messages usually show them too).</summary>
    public List<string> StepImageFileIds { get; } = [];

    /// <summary>Why the stream broke off (a dropped connection after the run was named), null when it ended normally.</summary>
    public AssistantFailureException? Broken { get; set; }

    /// <summary>Translates one event of the stream. The returned list is reused by the next call.</summary>
    public IReadOnlyList<AssistantEvent> Translate(string eventType, ReadOnlySpan<byte> data)
    {
        _events.Clear();
        switch (eventType)
        {
            case "thread.message.delta":
                TranslateDelta(data);
                break;
            case "thread.run.created":
                RunId = RunEventJson.Id(data, _runIds) ?? RunId;
                if (RunId is not null)
                    _events.Add(new ResponseStarted(RunId));
                break;
            case "thread.run.queued" or "thread.run.in_progress" or "thread.run.cancelling":
                RunId = RunEventJson.Id(data, _runIds) ?? RunId;
                break;
            case "thread.run.requires_action":
                var waiting = SdkModels.Read<ThreadRun>(data);
                RunId = waiting.Id;
                AddRequiredCalls(waiting);
                break;
            case "thread.run.completed" or "thread.run.incomplete" or "thread.run.failed" or "thread.run.cancelled" or "thread.run.expired":
                var run = SdkModels.Read<ThreadRun>(data);
                RunId = run.Id;
                if (run.Status.IsTerminal)
                    Terminal = run;
                break;
            case "thread.run.step.created" or "thread.run.step.in_progress":
                TranslateStep(data, running: true);
                break;
            case "thread.run.step.completed" or "thread.run.step.failed" or "thread.run.step.cancelled" or "thread.run.step.expired":
                TranslateStep(data, running: false);
                break;
            case "thread.run.step.delta":
                RunEventJson.AddImageFileIds(data, StepImageFileIds);
                break;
            case "thread.message.completed" or "thread.message.incomplete":
                FinishedMessages.Add(SdkModels.Read<ThreadMessage>(data));
                break;
            case "error":
                throw RunEventJson.Error(data);
        }

        return _events;
    }

    /// <summary>Adopts a run fetched after a cut stream as if its events had arrived.</summary>
    public void Adopt(ThreadRun run)
    {
        RunId = run.Id;
        if (run.Status.IsTerminal)
            Terminal = run;
        else if (run.Status == RunStatus.RequiresAction)
            AddRequiredCalls(run);
    }

    /// <summary>The part id of a message's content part, shared by its deltas and its final text.</summary>
    public string PartId(string messageId, int index)
    {
        if (index != _lastIndex || !string.Equals(messageId, _lastMessageId, StringComparison.Ordinal))
        {
            (_lastMessageId, _lastIndex) = (messageId, index);
            _lastPartId = $"{messageId}#{index}";
        }

        return _lastPartId!;
    }

    private void AddRequiredCalls(ThreadRun run) =>
        RequiredCalls.AddRange(run.RequiredActions.Select(a => new PendingCall(a.ToolCallId, a.FunctionName, a.FunctionArguments ?? "{}")));

    // A citation marker is left out of the live text; the finished message puts a footnote in its place.
    private void TranslateDelta(ReadOnlySpan<byte> data)
    {
        if (RunEventJson.MessageDelta(data, _messageIds, _texts) is not { } messageId)
            return;
        foreach (var (index, text, refusal) in _texts)
        {
            if (refusal || !MessageRenderer.IsMarker(text))
                _events.Add(new TextDelta(PartId(messageId, index), text));
        }
    }

    // Only tool steps show progress; a message step just names the run.
    private void TranslateStep(ReadOnlySpan<byte> data, bool running)
    {
        var (runId, toolCalls) = RunEventJson.StepHead(data, _runIds);
        RunId ??= runId;
        if (!toolCalls)
            return;
        var step = SdkModels.Read<RunStep>(data);
        foreach (var call in step.Details?.ToolCalls ?? [])
        {
            var tool = call.Kind switch
            {
                RunStepToolCallKind.CodeInterpreter => ToolKind.CodeInterpreter,
                RunStepToolCallKind.FileSearch => ToolKind.FileSearch,
                _ => (ToolKind?)null,
            };
            if (tool is { } kind)
                _events.Add(new ToolActivity(kind, running));
            if (!running && call.Kind == RunStepToolCallKind.CodeInterpreter)
            {
                foreach (var output in call.CodeInterpreterOutputs ?? [])
                {
                    if (output.ImageFileId is { } imageId)
                        StepImageFileIds.Add(imageId);
                }
            }
        }
    }
}
