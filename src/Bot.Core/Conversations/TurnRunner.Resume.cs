using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>A turn an earlier process left running with a resumable answer: its inbox rows and its stored resume point.</summary>
internal sealed record InterruptedTurn(long TurnId, IReadOnlyList<InboxRecord> Rows, TurnResumePoint Point)
{
    public ConversationKey Key => Rows[^1].Message.Conversation;
}

/// <summary>
/// Answers that survive: the events of a turn (first run or resumed) folded into its reply with the resume point kept,
/// the remote response cancelled on Stop, reset and timeout, and an interrupted turn finished into its earlier messages.
/// </summary>
internal sealed partial class TurnRunner
{
    private static readonly TimeSpan s_remoteCancelTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Finishes a turn that a stopped process (this one before a restart, or an instance whose lease was taken over) left
    /// with a resumable answer: the backend streams it again from its beginning and the reply is rebuilt into the
    /// messages already posted (edited, never posted twice). Runs in the conversation's lane like any turn.
    /// </summary>
    public async Task<TurnStatus> ResumeAsync(InterruptedTurn interrupted, TurnControl control)
    {
        var key = interrupted.Key;
        var point = interrupted.Point;
        var messages = interrupted.Rows.Select(r => r.Message).ToList();
        var channel = channels.Find(key.Channel);
        var record = await store.FindConversationAsync(key, control.Token).ConfigureAwait(false);
        var turn = new TurnProgress(time);
        if (channel is null || record is null || record.Id != await ConversationOfAsync(interrupted.TurnId, control.Token).ConfigureAwait(false))
        {
            // Nowhere to write, or the conversation was reset meanwhile: the answer is lost, as before resuming existed.
            turn.Error = "The process stopped during the turn.";
            turn.Status = TurnStatus.Interrupted;
            await RecordEndAsync(key, interrupted.TurnId, [], turn, InboxStatus.Failed).ConfigureAwait(false);
            if (channel is not null)
                await SendNoticeAsync(channel, messages[^1], new ReplyEnding(ReplyEndingKind.Interrupted, UserMessages.Interrupted)).ConfigureAwait(false);
            return turn.Status;
        }

        using var logScope = TurnLogScope.Begin(logger, key.Channel, TelemetryHash.Of(key));
        using var turnScope = TurnLogScope.BeginTurnId(logger, interrupted.TurnId);
        Log.ResumingTurn(logger, interrupted.TurnId, key, point.ResponseId!, point.MessageIds.Count);
        var backend = backends.Find(record.BackendKind) ?? backends.Current;
        var settings = await ResolveSettingsAsync(key, messages, control.Token).ConfigureAwait(false);
        var checkpoint = new TurnCheckpoint { ResponseId = point.ResponseId, Resumable = true, RunningTool = point.RunningTool };
        checkpoint.SequenceNumber = point.SequenceNumber;
        var recorder = new ResumePointRecorder(store, checkpoint, logger, point.MessageIds);
        recorder.Attach(interrupted.TurnId);
        var state = new ReplyState();
        var writer = channel.CreateReplyWriter(messages[^1].ReplyAddress);
        var reply = new ProgressiveReply(writer, state, time, logger, delivery) { Written = recorder.WrittenAsync };
        reply.Adopt(point.MessageIds);
        reply.Start();
        var leftForResume = false;
        ReplyEnding ending;
        using var deadline = new TurnDeadline(options.TurnTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(control.Token, deadline.Token);
        try
        {
            var approver = new TurnApprover(approvals, writer, messages[^1].Author.Id, backend.ApprovalTimeout, state, reply, deadline, logger, delivery);
            var thread = new RemoteThread(record, store, await CodeInterpreterFilesAsync(backend, record, timeout.Token).ConfigureAwait(false));
            var request = new ResumeRequest(thread, point.ResponseId!, point.RunningTool, approver, settings?.ToTurnSettings());
            using var stream = new BackendStreamTelemetry(backend.Kind, ModelUsed(backend, settings));
            ending = await StreamAsync(backend.ResumeTurnAsync(request, checkpoint, timeout.Token), stream, state, reply, turn, recorder).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            (turn.Status, ending, leftForResume) = EndCancelled(control, turnStarted: true, checkpoint);
            Log.TurnCancelled(logger, interrupted.TurnId, key, turn.Status == TurnStatus.Failed ? "timeout" : control.Reason.ToString());
            if (!leftForResume)
                await CancelRemoteAsync(backend, checkpoint, key).ConfigureAwait(false);
        }
        catch (AssistantFailureException ex)
        {
            Log.ResumeFailed(logger, interrupted.TurnId, key, ex.Kind.ToString(), ex);
            (turn.Status, turn.Error) = (TurnStatus.Interrupted, ex.Message);
            ending = ex.Kind == FailureKind.ToolStepLost
                ? new ReplyEnding(ReplyEndingKind.Failed, UserMessages.ToolStepLost(point.RunningTool ?? checkpoint.RunningTool))
                : new ReplyEnding(ReplyEndingKind.Interrupted, UserMessages.Interrupted);
        }
        catch (Exception ex)
        {
            Log.ResumeFailed(logger, interrupted.TurnId, key, "Unexpected", ex);
            (turn.Status, turn.Error) = (TurnStatus.Interrupted, ex.Message);
            ending = new ReplyEnding(ReplyEndingKind.Interrupted, UserMessages.Interrupted);
        }

        if (control.Reason == CancelReason.LeaseLost)
            return await AbandonAsync(reply, turn).ConfigureAwait(false);
        await FinishResumedReplyAsync(channel, messages[^1], reply, state, ending, turn.Status, leftForResume).ConfigureAwait(false);
        if (leftForResume)
        {
            Log.TurnLeftForResume(logger, interrupted.TurnId, key, checkpoint.ResponseId!);
            return TurnStatus.Interrupted;
        }

        await RecordEndAsync(key, interrupted.TurnId, [], turn, InboxStatus.Failed).ConfigureAwait(false);
        await RecordUsageAsync(key, messages, settings, turn).ConfigureAwait(false);
        TurnTelemetry.Tokens(ModelUsed(backend, settings), turn.Usage);
        Log.ResumeFinished(logger, interrupted.TurnId, key, turn.Status.ToString());
        return turn.Status;
    }

    // With nothing of the answer rebuilt, the earlier messages keep what they showed (their text is not stored, so it
    // could not be written again): an ending that is not an answer goes into a message of its own, once, as it did
    // before resuming existed; left again for the next start, nothing is written at all.
    private async Task FinishResumedReplyAsync(IChatChannel channel, IncomingMessage last, ProgressiveReply reply, ReplyState state,
        ReplyEnding ending, TurnStatus status, bool leftForResume)
    {
        var answered = status is TurnStatus.Completed or TurnStatus.Incomplete;
        var shown = state.Snapshot();
        if (!answered && !shown.HasText && shown.Files.Count == 0)
        {
            await reply.DisposeAsync().ConfigureAwait(false);
            if (!leftForResume)
                await SendNoticeAsync(channel, last, ending).ConfigureAwait(false);
            return;
        }

        state.Finish(ending);
        await DeliverFinalAsync(reply).ConfigureAwait(false);
    }

    private async Task SendNoticeAsync(IChatChannel channel, IncomingMessage last, ReplyEnding ending)
    {
        try
        {
            await ProgressiveReply.SendOnceAsync(channel.CreateReplyWriter(last.ReplyAddress), ReplySnapshot.Notice(ending), delivery)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !delivery.IsCancellationRequested)
        {
            Log.WriteFailed(logger, 0, ex);
        }
        catch (OperationCanceledException)
        {
            // The host's grace for last writes ran out.
        }
    }

    private async Task<long?> ConversationOfAsync(long turnId, CancellationToken cancellationToken) =>
        (await store.GetTurnAsync(turnId, cancellationToken).ConfigureAwait(false))?.ConversationId;

    // The events of one turn, first run or resumed, folded into its reply; the resume point saved when the backend moves on.
    private static async Task<ReplyEnding> StreamAsync(IAsyncEnumerable<AssistantEvent> events, BackendStreamTelemetry stream, ReplyState state,
        ProgressiveReply reply, TurnProgress turn, ResumePointRecorder recorder)
    {
        await foreach (var assistantEvent in events.ConfigureAwait(false))
        {
            turn.Observe(assistantEvent);
            stream.Observe(assistantEvent);
            await recorder.ObserveAsync().ConfigureAwait(false);
            if (assistantEvent is TurnFinished finished)
            {
                if (!finished.Incomplete)
                {
                    turn.Status = TurnStatus.Completed;
                    return ReplyEnding.Completed;
                }

                turn.Status = TurnStatus.Incomplete;
                return new ReplyEnding(ReplyEndingKind.Incomplete, UserMessages.Incomplete(finished.Reason), finished.Reason);
            }

            if (state.Apply(assistantEvent))
                reply.Invalidate();
        }

        stream.Failed(nameof(FailureKind.StreamCut));
        throw new AssistantFailureException(FailureKind.StreamCut, "The backend's event stream ended without a TurnFinished event.");
    }

    // How a cancelled turn ends. Shutdown leaves a turn whose answer can be resumed running, for the next start to finish.
    private (TurnStatus Status, ReplyEnding Ending, bool LeftForResume) EndCancelled(TurnControl control, bool turnStarted, TurnCheckpoint checkpoint) =>
        control.Reason switch
        {
            CancelReason.Stop => (TurnStatus.Cancelled, new ReplyEnding(ReplyEndingKind.Stopped, UserMessages.Stopped), false),
            CancelReason.Reset => (TurnStatus.Cancelled, new ReplyEnding(ReplyEndingKind.StoppedByReset, UserMessages.StoppedByReset), false),
            // The next holder closes or finishes the turn: its remote response is left running for it.
            CancelReason.LeaseLost => (TurnStatus.Interrupted, new ReplyEnding(ReplyEndingKind.Interrupted, UserMessages.Interrupted), true),
            _ when shutdown.IsCancellationRequested && turnStarted && checkpoint.Resumable && checkpoint.ResponseId is not null =>
                (TurnStatus.Interrupted, new ReplyEnding(ReplyEndingKind.ShuttingDown, UserMessages.ContinuesAfterRestart), true),
            _ when shutdown.IsCancellationRequested => (TurnStatus.Interrupted, new ReplyEnding(ReplyEndingKind.ShuttingDown, UserMessages.ShuttingDown), false),
            _ => (TurnStatus.Failed, new ReplyEnding(ReplyEndingKind.TimedOut, UserMessages.TimedOut), false),
        };

    // After the local cancel, the remote response too, so that it stops generating (and billing). Short, on its own
    // timeout; a failure is logged, never shown: the user already reads that the answer stopped.
    private async Task CancelRemoteAsync(IAssistantBackend? backend, TurnCheckpoint checkpoint, ConversationKey key)
    {
        if (backend is null || checkpoint.ResponseId is not { } responseId)
            return;
        using var limit = new CancellationTokenSource(s_remoteCancelTimeout, time);
        try
        {
            await backend.CancelResponseAsync(responseId, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.RemoteCancelFailed(logger, responseId, key, ex);
        }
    }
}
