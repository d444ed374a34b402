using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bot.Core.Backends;

namespace Bot.Testing.Backends;

/// <summary>
/// Answers that survive, scripted: the backend records the response it streams in the turn's checkpoint (resumable or
/// not), finishes a stored turn with <see cref="ResumeScript"/>, and records every remote cancel.
/// </summary>
public sealed partial class ScriptedBackend
{
    private readonly ConcurrentQueue<ResumeRequest> _resumes = new();

    /// <summary>
    /// Whether the responses it streams can be resumed (background responses): recorded in the turn's checkpoint when a
    /// script yields <see cref="ResponseStarted"/>. Default false, like plain streaming.
    /// </summary>
    public bool Resumable { get; set; }

    /// <summary>
    /// The events of a resumed turn (the stored response from its beginning). Null (the default) = the response cannot be
    /// resumed: <see cref="FailureKind.StreamCut"/>.
    /// </summary>
    public Func<ResumeRequest, TurnCheckpoint, CancellationToken, IAsyncEnumerable<AssistantEvent>>? ResumeScript { get; set; }

    /// <summary>Every resume asked for, in order.</summary>
    public IReadOnlyList<ResumeRequest> Resumes => [.. _resumes];

    /// <summary>Every remote response cancelled, in order (one entry per call).</summary>
    public ConcurrentQueue<string> CancelledResponses { get; } = new();

    /// <summary>Runs before every cancel; a hook that throws makes the cancel fail (the service answered 500).</summary>
    public Func<string, CancellationToken, Task>? BeforeCancel { get; set; }

    public async IAsyncEnumerable<AssistantEvent> ResumeTurnAsync(ResumeRequest request, TurnCheckpoint checkpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _resumes.Enqueue(request);
        Changes.Notify();
        if (ResumeScript is not { } script)
            throw new AssistantFailureException(FailureKind.StreamCut, $"Response {request.ResponseId} cannot be resumed.");

        var conversation = request.Thread.RemoteConversationId ?? "";
        UpdateMax(_activeByConversation.AddOrUpdate(conversation, 1, (_, n) => n + 1));
        try
        {
            await foreach (var assistantEvent in script(request, checkpoint, cancellationToken).WithCancellation(cancellationToken))
            {
                Record(checkpoint, assistantEvent);
                yield return assistantEvent;
            }
        }
        finally
        {
            _activeByConversation.AddOrUpdate(conversation, 0, (_, n) => n - 1);
        }
    }

    public async Task CancelResponseAsync(string responseId, CancellationToken cancellationToken = default)
    {
        CancelledResponses.Enqueue(responseId);
        Changes.Notify();
        if (BeforeCancel is { } hook)
            await hook(responseId, cancellationToken);
    }

    // What a backend writes into the checkpoint as events arrive: the response, then one sequence number per event.
    private void Record(TurnCheckpoint? checkpoint, AssistantEvent assistantEvent)
    {
        if (checkpoint is null)
            return;
        if (assistantEvent is ResponseStarted started && started.ResponseId != checkpoint.ResponseId)
        {
            checkpoint.ResponseId = started.ResponseId;
            checkpoint.Resumable = Resumable;
        }

        checkpoint.SequenceNumber++;
    }
}
