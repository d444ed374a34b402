using Bot.Core.Backends;
using OpenAI.Assistants;

namespace Bot.OpenAI.Assistants;

/// <summary>A function call the run waits for.</summary>
internal sealed record PendingCall(string CallId, string FunctionName, string Arguments);

/// <summary>
/// Translates the SDK's streaming updates of one run stream (the first one, or one after submitted tool
/// outputs) into assistant events, and remembers what the turn loop acts on afterwards: the run id, its
/// terminal state, the function calls it requires, and the finished messages (whose citations and generated
/// files need further calls). Unknown update kinds are ignored, as the protocol allows new ones.
/// </summary>
internal sealed class RunStreamTranslator
{
    private readonly List<AssistantEvent> _events = [];
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

    /// <summary>True once any update arrived (a failure after that is a cut stream, not an unreachable service).</summary>
    public bool Started { get; private set; }

    /// <summary>Translates one update. The returned list is reused by the next call.</summary>
    public IReadOnlyList<AssistantEvent> Translate(StreamingUpdate update)
    {
        _events.Clear();
        Started = true;
        switch (update)
        {
            // RequiredActionUpdate derives from RunUpdate: it comes first.
            case RequiredActionUpdate action:
                RunId = action.Value.Id;
                RequiredCalls.Add(new PendingCall(action.ToolCallId, action.FunctionName, action.FunctionArguments ?? "{}"));
                break;
            case RunUpdate run:
                RunId = run.Value.Id;
                if (update.UpdateKind == StreamingUpdateReason.RunCreated)
                    _events.Add(new ResponseStarted(run.Value.Id));
                if (run.Value.Status.IsTerminal)
                    Terminal = run.Value;
                break;
            case RunStepUpdate step:
                TranslateStep(step);
                break;
            case RunStepDetailsUpdate details:
                foreach (var output in details.CodeInterpreterOutputs ?? [])
                {
                    if (output.ImageFileId is { } imageId)
                        StepImageFileIds.Add(imageId);
                }

                break;
            // A citation marker is left out of the live text; the finished message puts a footnote in its place.
            case MessageContentUpdate content when content.TextAnnotation is null && !string.IsNullOrEmpty(content.Text):
                if (!MessageRenderer.IsMarker(content.Text))
                    _events.Add(new TextDelta(PartId(content.MessageId, content.MessageIndex), content.Text));
                break;
            case MessageContentUpdate content when content.TextAnnotation is null && !string.IsNullOrEmpty(content.RefusalUpdate):
                _events.Add(new TextDelta(PartId(content.MessageId, content.MessageIndex), content.RefusalUpdate));
                break;
            case MessageStatusUpdate message when update.UpdateKind is StreamingUpdateReason.MessageCompleted or StreamingUpdateReason.MessageFailed:
                FinishedMessages.Add(message.Value);
                break;
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
            RequiredCalls.AddRange(run.RequiredActions.Select(a => new PendingCall(a.ToolCallId, a.FunctionName, a.FunctionArguments ?? "{}")));
    }

    private void TranslateStep(RunStepUpdate update)
    {
        var step = update.Value;
        RunId ??= step.RunId;
        if (step.Kind != RunStepKind.ToolCall)
            return;
        var running = update.UpdateKind is StreamingUpdateReason.RunStepCreated or StreamingUpdateReason.RunStepInProgress;
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
}
