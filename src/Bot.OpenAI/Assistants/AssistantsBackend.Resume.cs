using System.ClientModel;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bot.Core.Backends;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// Answers that survive on the Assistants API: a run goes on at the service without its stream, so a turn an earlier
/// process left is finished by following the run to its end (polling) and rendering its messages; Stop cancels the run.
/// </summary>
public sealed partial class AssistantsBackend
{
    // The thread of each run a turn of this process streams or follows: cancelling a run takes both ids.
    private readonly ConcurrentDictionary<string, string> _runThreads = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<AssistantEvent> ResumeTurnAsync(ResumeRequest request, TurnCheckpoint checkpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var threadId = request.Thread.RemoteConversationId
            ?? throw new AssistantFailureException(FailureKind.StreamCut, $"Run {request.ResponseId} has no remote thread to go on in.");
        var runId = request.ResponseId;
        Log.FollowingRun(_logger, runId, threadId, request.RunningTool is null ? "running" : $"running {request.RunningTool}");
        if (!string.Equals(checkpoint.ResponseId, runId, StringComparison.Ordinal))
            checkpoint.ResponseId = runId;
        checkpoint.Resumable = true;

        var turn = new RunLoop(threadId, request.Thread, checkpoint, runId);
        Follow(turn, runId);
        await foreach (var assistantEvent in RunRoundsAsync(turn, open: null, cancellationToken).ConfigureAwait(false))
            yield return assistantEvent;
    }

    public async Task CancelResponseAsync(string responseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(responseId);
        if (!_runThreads.TryGetValue(responseId, out var threadId))
        {
            Log.RunThreadUnknown(_logger, responseId);
            return;
        }

        try
        {
            await Clients.Assistants.CancelRunAsync(threadId, responseId, cancellationToken).ConfigureAwait(false);
            Log.ResponseCancelled(_logger, responseId);
        }
        catch (ClientResultException e) when (e.Status is 400 or 404)
        {
            // Already ended (cancelled, completed, expired) or gone.
            Log.NothingToCancel(_logger, responseId, e.Status);
        }
        catch (Exception ex) when (FailureMapping.FromException(ex, midStream: false, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    // The run is known from now on: for Stop (its thread) and for a later process (the checkpoint).
    private void Follow(RunLoop turn, string runId)
    {
        _runThreads[runId] = turn.ThreadId;
        if (turn.Checkpoint is { } checkpoint)
        {
            if (!string.Equals(checkpoint.ResponseId, runId, StringComparison.Ordinal))
                checkpoint.ResponseId = runId;
            checkpoint.Resumable = true;
        }
    }

    /// <summary>
    /// A run left waiting for function outputs: the process died while it ran them. They run again only when every tool
    /// called says it is idempotent; otherwise the user is told which step was lost.
    /// </summary>
    private void EnsureRerunnable(string runId, IReadOnlyList<PendingCall> calls)
    {
        foreach (var call in calls)
        {
            if (!IsIdempotent(call.FunctionName))
            {
                Log.ToolStepLost(_logger, runId, call.FunctionName);
                throw new AssistantFailureException(FailureKind.ToolStepLost, call.FunctionName);
            }
        }
    }

    private bool IsIdempotent(string name) => _tools.Tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))?.Idempotent ?? true;

    private string RunningToolOf(IReadOnlyList<PendingCall> calls) =>
        calls.FirstOrDefault(c => !IsIdempotent(c.FunctionName))?.FunctionName ?? calls[0].FunctionName;
}
