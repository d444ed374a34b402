using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Bot.Core.Backends;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Answers that survive: a turn an earlier process left is finished from its stored response (streamed again from
/// its start while it runs, rendered from its final state once it ended), and Stop cancels the response at the service.
/// </summary>
public sealed partial class ResponsesBackend
{
    // Per remote conversation, the background response a turn of this process left running (stopped, failed, cut).
    private readonly ConcurrentDictionary<string, string> _unfinished = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<AssistantEvent> ResumeTurnAsync(ResumeRequest request, TurnCheckpoint checkpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var conversationId = request.Thread.RemoteConversationId
            ?? throw new AssistantFailureException(FailureKind.StreamCut, $"Response {request.ResponseId} has no remote conversation to go on in.");
        var responseId = request.ResponseId;
        using var stored = await GetStoredResponseAsync(responseId, cancellationToken).ConfigureAwait(false);
        var body = stored.RootElement;
        var status = body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "";
        var background = body.TryGetProperty("background", out var b) && b.ValueKind == JsonValueKind.True;
        Log.ResumingTurn(_logger, responseId, status);

        if (!string.Equals(checkpoint.ResponseId, responseId, StringComparison.Ordinal))
            checkpoint.ResponseId = responseId;
        checkpoint.Resumable = background;

        IResponseEvents first;
        var endedBefore = false;
        switch (status)
        {
            case "queued" or "in_progress" when background:
                // From its first event: the core rebuilds the whole reply from these.
                var reader = await _streams.ResumeAsync(responseId, startingAfter: null, cancellationToken).ConfigureAwait(false);
                first = _streams.Wrap(reader, background: true, checkpoint, responseId, cancellationToken);
                break;
            case "completed" or "incomplete" or "failed":
                first = new StoredResponseRendering(body, Options.ImageByteLimit);
                endedBefore = true;
                break;
            default:
                // Cancelled, or a plainly streamed response still running: nothing of it can be read.
                throw new AssistantFailureException(FailureKind.StreamCut, $"Response {responseId} is {status} and cannot be finished.");
        }

        var turn = new ToolLoop(conversationId, request.Thread, TurnSettingsFor(request.Overrides), request.Approvals, checkpoint, endedBefore);
        await foreach (var assistantEvent in RunRoundsAsync(turn, first, cancellationToken).ConfigureAwait(false))
            yield return assistantEvent;
    }

    public async Task CancelResponseAsync(string responseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(responseId);
        try
        {
            using var result = (await Clients.Responses.CancelResponseAsync(responseId, new RequestOptions { CancellationToken = cancellationToken })
                .ConfigureAwait(false)).GetRawResponse();
            Log.ResponseCancelled(_logger, responseId);
        }
        catch (ClientResultException e) when (e.Status is 404 or 400 or 409)
        {
            // Gone, already ended, or never a background response: either way nothing runs on.
            Log.NothingToCancel(_logger, responseId, e.Status);
        }
        catch (Exception ex) when (FailureMapping.FromException(ex, midStream: false, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Cancels the background response an earlier turn on this conversation left running, as the service would refuse
    /// the next one meanwhile (the conversation is locked while a response runs). Best effort: a failure shows in the
    /// next request.
    /// </summary>
    private async Task CancelUnfinishedAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (!_unfinished.TryRemove(conversationId, out var responseId))
            return;
        try
        {
            await CancelResponseAsync(responseId, cancellationToken).ConfigureAwait(false);
        }
        catch (AssistantFailureException e)
        {
            Log.LeftoverCancelFailed(_logger, responseId, e);
        }
    }

    /// <summary>The stored response object (GET /responses/{id}); one the service no longer has cannot be finished.</summary>
    private async Task<JsonDocument> GetStoredResponseAsync(string responseId, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Clients.Responses.GetResponseAsync(responseId, [], null, null, null, new RequestOptions { CancellationToken = cancellationToken })
                .ConfigureAwait(false);
            return JsonDocument.Parse(result.GetRawResponse().Content);
        }
        catch (ClientResultException e) when (e.Status == 404)
        {
            throw new AssistantFailureException(FailureKind.StreamCut, $"Response {responseId} is no longer stored at the service.", e);
        }
        catch (Exception ex) when (FailureMapping.FromException(ex, midStream: false, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// The function calls of a response that ended before this process read it may have run once already: they run
    /// again only when every tool called says it is idempotent; otherwise the user is told which step was lost.
    /// </summary>
    private void EnsureRerunnable(string responseId, IReadOnlyList<FunctionCallResponseItem> calls)
    {
        foreach (var call in calls)
        {
            if (!IsIdempotent(call.FunctionName))
            {
                Log.ToolStepLost(_logger, responseId, call.FunctionName);
                throw new AssistantFailureException(FailureKind.ToolStepLost, call.FunctionName);
            }
        }
    }

    // A tool no longer registered is not run at all (its call gets an error output), so running "it" again is harmless.
    private bool IsIdempotent(string name) => _tools.Tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))?.Idempotent ?? true;

    // The tool that matters if the turn dies now: the first one that may not run twice, else the first.
    private string RunningToolOf(IReadOnlyList<FunctionCallResponseItem> calls) =>
        calls.FirstOrDefault(c => !IsIdempotent(c.FunctionName))?.FunctionName ?? calls[0].FunctionName;
}
