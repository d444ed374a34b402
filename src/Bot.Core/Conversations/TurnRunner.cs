using System.Text;
using Bot.Core.Attachments;
using Bot.Core.Moderation;
using Bot.Core.Places;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Bot.Core.Tools.Approvals;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>
/// Runs one turn: resolves the conversation's mapping, checks and uploads the attachments, streams the
/// backend's answer into a progressive reply, and records the outcome. Every failure ends here: it is
/// logged with the conversation and message ids, the user gets one sentence, the lane goes on.
/// <c>shutdown</c> stops the turn's work when the host stops; <c>delivery</c> stops writing replies a
/// little later, so that the users of interrupted turns still read why their answer ended.
/// </summary>
internal sealed partial class TurnRunner(
    IConversationStore store,
    BackendCatalog backends,
    ChannelRegistry channels,
    AttachmentIntake intake,
    ConversationOptions options,
    TimeProvider time,
    ILogger logger,
    CancellationToken shutdown,
    CancellationToken delivery,
    ApprovalBroker approvals,
    ModerationGate? moderation = null,
    BudgetGate? budgets = null,
    PlaceSettings? places = null)
{
    public async Task<TurnStatus> RunAsync(ConversationKey key, IReadOnlyList<PendingMessage> batch, TurnControl control)
    {
        var messages = batch.Select(p => p.Message).ToList();
        var channel = channels.Find(key.Channel);
        if (channel is null)
        {
            Log.ChannelMissing(logger, key.Channel, key);
            return TurnStatus.Failed;
        }

        using var telemetry = new TurnTelemetry(key, batch);
        using var logScope = TurnLogScope.Begin(logger, key.Channel, TelemetryHash.Of(key));
        var settings = await ResolveSettingsAsync(key, messages, control.Token).ConfigureAwait(false);
        if (await CheckBudgetAsync(key, messages, settings, control.Token).ConfigureAwait(false) is { } overBudget)
        {
            telemetry.End(ReplyEndingKind.OverBudget);
            CoreTelemetry.BudgetRefusals.Add(1, new KeyValuePair<string, object?>("bot.channel", key.Channel));
            return await RefuseAsync(key, channel, batch, overBudget).ConfigureAwait(false);
        }

        // The turn owns its reply state; the progressive reply only takes snapshots of it. Everything from here on,
        // the writer's creation and the store's first writes included, ends in the same place: one ending, the final
        // state delivered where a reply can be written, the turn (or its inbox rows) recorded as finished.
        var state = new ReplyState();
        var turn = new TurnProgress(time);
        var recorder = new ResumePointRecorder(store, new TurnCheckpoint(), logger);
        IAssistantBackend? backend = null;
        var leftForResume = false;
        long? turnId = null;
        var unturnedStatus = InboxStatus.Failed;
        ProgressiveReply? reply = null;
        ReplyEnding ending;
        using var deadline = new TurnDeadline(options.TurnTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(control.Token, deadline.Token);
        try
        {
            var writer = channel.CreateReplyWriter(messages[^1].ReplyAddress);
            reply = new ProgressiveReply(writer, state, time, logger, delivery) { Telemetry = telemetry, Written = recorder.WrittenAsync };
            reply.Start();
            // Moderation comes before anything else of the turn: no conversation, upload or response for refused input.
            if (moderation is not null && await moderation.CheckAsync(key, channel, messages, timeout.Token).ConfigureAwait(false) is { } refusal)
            {
                (ending, unturnedStatus) = (refusal.Ending, refusal.InboxStatus);
                CoreTelemetry.ModerationRefusals.Add(1, new KeyValuePair<string, object?>("bot.channel", key.Channel),
                    new KeyValuePair<string, object?>("bot.moderation.outcome", refusal.Ending.Kind.ToString()));
            }
            else
            {
                backend = backends.Current;
                var approver = new TurnApprover(approvals, writer, messages[^1].Author.Id, backend.ApprovalTimeout, state, reply, deadline, logger, delivery);
                var conversation = await ResolveConversationAsync(key, backend, timeout.Token).ConfigureAwait(false);
                if (conversation.Notice is not null)
                {
                    state.AddNotice(conversation.Notice);
                    reply.Invalidate();
                }

                turnId = await store.StartTurnAsync(conversation.Record.Id, [.. batch.Select(p => p.InboxId)], time.GetUtcNow(), timeout.Token)
                    .ConfigureAwait(false);
                telemetry.SetTurnId(turnId.Value);
                recorder.Attach(turnId.Value);
                using var turnScope = TurnLogScope.BeginTurnId(logger, turnId.Value);
                ending = await AnswerAsync(channel, backend, conversation.Record, messages, settings, state, reply, turn, approver, recorder, timeout.Token)
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            (turn.Status, ending, leftForResume) = EndCancelled(control, turnId is not null, recorder.Checkpoint);
            Log.TurnCancelled(logger, turnId ?? 0, key, turn.Status == TurnStatus.Failed ? "timeout" : control.Reason.ToString());
            if (!leftForResume)
                await CancelRemoteAsync(backend, recorder.Checkpoint, key).ConfigureAwait(false);
        }
        catch (AssistantFailureException ex)
        {
            Log.TurnFailed(logger, turnId ?? 0, key, MessageIds(messages), ex.Kind.ToString(), ex);
            (turn.Status, turn.Error) = (TurnStatus.Failed, ex.Message);
            ending = new ReplyEnding(ReplyEndingKind.Failed, UserMessages.Failure(ex.Kind));
        }
        catch (Exception ex)
        {
            Log.TurnFailed(logger, turnId ?? 0, key, MessageIds(messages), "Unexpected", ex);
            (turn.Status, turn.Error) = (TurnStatus.Failed, ex.Message);
            ending = new ReplyEnding(ReplyEndingKind.Failed, UserMessages.Unexpected);
        }

        telemetry.End(ending.Kind);
        if (control.Reason == CancelReason.LeaseLost)
            return await AbandonAsync(reply, turn).ConfigureAwait(false);
        state.Finish(ending);
        using (TurnTelemetry.Step("finish"))
        {
            await DeliverFinalAsync(reply).ConfigureAwait(false);
            if (leftForResume)
            {
                // The turn stays Running with its messages Processing: the next start (or the instance that takes the
                // conversation over) finishes it, records its end and counts its usage.
                Log.TurnLeftForResume(logger, turnId!.Value, key, recorder.Checkpoint.ResponseId!);
            }
            else
            {
                await RecordEndAsync(key, turnId, batch, turn, unturnedStatus).ConfigureAwait(false);
                await RecordUsageAsync(key, messages, settings, turn).ConfigureAwait(false);
            }
        }

        TurnTelemetry.Tokens(ModelUsed(backends.Current, settings), turn.Usage);
        return turn.Status;
    }

    private async Task DeliverFinalAsync(ProgressiveReply? reply)
    {
        if (reply is null)
            return;
        try
        {
            await reply.CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (delivery.IsCancellationRequested)
        {
            // The host's grace for last writes ran out: the user is not told here, but the turn is still recorded as
            // ended afterwards, so that it is neither left Running nor taken for a crash.
        }
        finally
        {
            await reply.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<ReplyEnding> AnswerAsync(IChatChannel channel, IAssistantBackend backend, ConversationRecord record,
        IReadOnlyList<IncomingMessage> messages, EffectiveSettings? settings, ReplyState state, ProgressiveReply reply, TurnProgress turn,
        IToolApprover approver, ResumePointRecorder recorder,
        CancellationToken cancellationToken)
    {
        var text = ComposeText(messages);
        var hasFiles = messages.Any(m => m.Attachments.Count > 0);
        if (text.Length == 0 && !hasFiles)
            return Refuse(turn, ReplyEndingKind.Empty, UserMessages.Empty);

        if (text.Length > backend.MaxInputCharacters)
            return Refuse(turn, ReplyEndingKind.TooLong, UserMessages.TooLong(text.Length, backend.MaxInputCharacters));

        var thread = new RemoteThread(record, store, await CodeInterpreterFilesAsync(backend, record, cancellationToken).ConfigureAwait(false));
        IReadOnlyList<UploadedFile> files = [];
        if (hasFiles)
        {
            var notices = new List<string>();
            using (TurnTelemetry.Step("upload"))
                files = await intake.UploadAsync(channel, backend, thread, messages, notices, cancellationToken).ConfigureAwait(false);
            notices.ForEach(state.AddNotice);
            reply.Invalidate();
            if (text.Length == 0 && files.Count == 0)
                return Refuse(turn, ReplyEndingKind.NothingLeft, UserMessages.NothingLeft);
        }

        if (files.Count > 0)
            text = (text.Length == 0 ? "" : text + "\n\n") + "(Attached: " + string.Join(", ", files.Select(f => f.FileName)) + ")";

        using var stream = new BackendStreamTelemetry(backend.Kind, ModelUsed(backend, settings));
        var request = new TurnRequest(thread, text, files, approver, settings?.ToTurnSettings(), recorder.Checkpoint);
        return await StreamAsync(backend.RunTurnAsync(request, cancellationToken), stream, state, reply, turn, recorder).ConfigureAwait(false);
    }

    // The turn row is finished; a turn that never got one (the store failed before, or moderation refused it) marks its
    // inbox rows failed (or refused), so that they are neither left Processing nor answered again after a restart.
    private async Task RecordEndAsync(ConversationKey key, long? turnId, IReadOnlyList<PendingMessage> batch, TurnProgress turn,
        InboxStatus unturnedStatus)
    {
        try
        {
            if (turnId is { } id)
                await store.FinishTurnAsync(id, turn.Outcome(time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
            else
                await store.SetInboxStatusAsync([.. batch.Select(p => p.InboxId)], unturnedStatus, time.GetUtcNow(), CancellationToken.None)
                    .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.TurnRecordFailed(logger, turnId ?? 0, key, ex);
        }
    }

    private async Task<ResolvedConversation> ResolveConversationAsync(ConversationKey key, IAssistantBackend backend, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await store.GetOrCreateConversationAsync(key, backend.Kind, now, cancellationToken).ConfigureAwait(false);
        if (string.Equals(record.BackendKind, backend.Kind, StringComparison.OrdinalIgnoreCase))
            return new ResolvedConversation(record, null);

        // Remote ids of another backend mean nothing to this one: keep the old mapping archived
        // (its remote objects stay in the registry) and start afresh.
        Log.BackendSwitched(logger, key, record.BackendKind, backend.Kind);
        await store.ArchiveConversationAsync(record.Id, now, cancellationToken).ConfigureAwait(false);
        var fresh = await store.GetOrCreateConversationAsync(key, backend.Kind, now, cancellationToken).ConfigureAwait(false);
        return new ResolvedConversation(fresh, UserMessages.BackendSwitched(record.BackendKind, backend.Kind));
    }

    // Read only when they can be used: a new conversation has none, and a backend without the tool ignores them.
    private async Task<IEnumerable<string>> CodeInterpreterFilesAsync(IAssistantBackend backend, ConversationRecord record,
        CancellationToken cancellationToken)
    {
        if (record.RemoteConversationId is null || !backend.CodeInterpreterEnabled)
            return [];
        var objects = await store.GetRemoteObjectsAsync(record.Id, cancellationToken).ConfigureAwait(false);
        return objects.Where(o => o.Kind == RemoteObjectKind.File && o.Purpose == RemoteFilePurposes.CodeInterpreter).Select(o => o.RemoteId);
    }

    /// <summary>One message is sent as it is; several (or a shared conversation) go with their authors' names.</summary>
    internal static string ComposeText(IReadOnlyList<IncomingMessage> messages)
    {
        var withText = messages.Where(m => !string.IsNullOrWhiteSpace(m.Text)).ToList();
        if (withText.Count == 1 && !withText[0].IsShared && messages.Count == 1)
            return withText[0].Text.Trim();

        var text = new StringBuilder();
        foreach (var message in withText)
        {
            if (text.Length > 0)
                text.Append("\n\n");
            text.Append(message.Author.DisplayName).Append(": ").Append(message.Text.Trim());
        }

        return text.ToString();
    }

    private static ReplyEnding Refuse(TurnProgress turn, ReplyEndingKind kind, string sentence)
    {
        turn.Status = TurnStatus.Failed;
        return new ReplyEnding(kind, sentence);
    }

    private static string MessageIds(IEnumerable<IncomingMessage> messages) => string.Join(",", messages.Select(m => m.MessageId));

    private sealed record ResolvedConversation(ConversationRecord Record, string? Notice);
}
