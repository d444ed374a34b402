using Bot.Core.Places;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>Budgets: the check before a turn, the refusal, and the usage a finished turn records.</summary>
internal sealed partial class TurnRunner
{
    // Before anything that costs: no mapping, no upload, no backend call. A ledger that cannot be read does not refuse
    // the user; the store's trouble surfaces in the turn itself.
    private async Task<string?> CheckBudgetAsync(ConversationKey key, IReadOnlyList<IncomingMessage> messages, EffectiveSettings? settings,
        CancellationToken cancellationToken)
    {
        if (budgets is null)
            return null;
        var userId = messages[^1].Author.Id;
        try
        {
            return await budgets.CheckAsync(key.Channel, userId, messages.Count, settings, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped, reset or shutting down while reading: the turn's own handling of that token ends it as such.
            return null;
        }
        catch (Exception ex)
        {
            Log.BudgetCheckFailed(logger, key, ex);
            return null;
        }
    }

    // The refusal goes through the normal reply path as the reply's ending; no turn row is made, the messages become
    // Refused.
    private async Task<TurnStatus> RefuseAsync(ConversationKey key, IChatChannel channel, IReadOnlyList<PendingMessage> batch, string refusal)
    {
        var last = batch[^1].Message;
        Log.TurnRefused(logger, key, last.MessageId, last.Author.Id);
        var state = new ReplyState();
        ProgressiveReply? reply = null;
        try
        {
            reply = new ProgressiveReply(channel.CreateReplyWriter(last.ReplyAddress), state, time, logger, delivery);
            reply.Start();
        }
        catch (Exception ex)
        {
            Log.TurnFailed(logger, 0, key, last.MessageId, "Refusal", ex);
        }

        state.Finish(new ReplyEnding(ReplyEndingKind.OverBudget, refusal));
        await DeliverFinalAsync(reply).ConfigureAwait(false);
        try
        {
            await store.SetInboxStatusAsync([.. batch.Select(p => p.InboxId)], InboxStatus.Refused, time.GetUtcNow(), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.TurnRecordFailed(logger, 0, key, ex);
        }

        return TurnStatus.Failed;
    }

    // Charged to the last message's author, at every level of its place path, for the model the turn used.
    private async Task RecordUsageAsync(ConversationKey key, IReadOnlyList<IncomingMessage> messages, EffectiveSettings? settings, TurnProgress turn)
    {
        if (budgets is null || turn.Usage.TotalTokens == 0)
            return;
        try
        {
            var last = messages[^1];
            await budgets.RecordAsync(key, last.Author, settings?.Path ?? last.Path, ModelUsed(backends.Current, settings), turn.Usage, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.UsageRecordFailed(logger, key, ex);
        }
    }
}
