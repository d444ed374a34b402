using Bot.Core.Replies;
using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>Recovery after a start or a takeover: waiting messages queued again, interrupted turns finished or closed.</summary>
public sealed partial class ConversationService
{
    /// <summary>
    /// Called by a channel when it starts, after it registered itself: messages it had accepted but not
    /// answered are queued again; turns a crash interrupted are closed and their conversations told.
    /// </summary>
    public async Task RecoverAsync(string channelName, CancellationToken cancellationToken = default)
    {
        var unfinished = await _store.GetUnfinishedInboxAsync(channelName, cancellationToken).ConfigureAwait(false);
        if (_cluster is not null)
            unfinished = await TakeRecoverableAsync(unfinished, cancellationToken).ConfigureAwait(false);
        var interrupted = unfinished.Where(r => r.Status == InboxStatus.Processing).ToList();
        var waiting = unfinished.Where(r => r.Status == InboxStatus.Accepted).ToList();
        var resumable = await CloseInterruptedAsync(interrupted, cancellationToken).ConfigureAwait(false);
        // A resumable answer is finished in its lane, before the messages that waited behind it (on a shared store the
        // lane finds it in the store when it takes the lease).
        if (_cluster is null)
            resumable.ToList().ForEach(_lanes.EnqueueResume);
        foreach (var record in waiting)
            _lanes.Enqueue(new PendingMessage(record.Id, record.Message));
        if (_cluster is not null)
        {
            // Leases taken only to close an interrupted turn go back now; the lanes hand back the others when idle.
            var busy = waiting.Select(r => r.Message.Conversation).Concat(resumable.Select(t => t.Key)).ToHashSet();
            foreach (var key in interrupted.Select(r => r.Message.Conversation).Distinct().Where(k => !busy.Contains(k)))
                await _cluster.ReleaseAsync(key).ConfigureAwait(false);
            foreach (var key in resumable.Select(t => t.Key).Distinct())
                _lanes.Wake(key);
        }

        Log.Recovered(_logger, channelName, waiting.Count, interrupted.Count);
    }

    // On a shared store, only conversations this instance can lease are recovered: never a turn that another live
    // instance is running. The others are the poll's, once their lease expires.
    private async Task<IReadOnlyList<InboxRecord>> TakeRecoverableAsync(IReadOnlyList<InboxRecord> unfinished, CancellationToken cancellationToken)
    {
        var recoverable = new List<InboxRecord>();
        foreach (var key in unfinished.Select(r => r.Message.Conversation).Distinct())
        {
            if (await _cluster!.TryAcquireAsync(key, cancellationToken).ConfigureAwait(false))
                recoverable.AddRange(unfinished.Where(r => r.Message.Conversation == key));
        }

        return recoverable;
    }

    // Closes turns that a stopped process (this one before a restart, or a failed instance) left running, and tells each
    // conversation once: their messages leave Processing in the same step, so no one closes them twice. A turn whose stored
    // resume point can be resumed is not closed but returned, to be finished in its lane.
    private async Task<IReadOnlyList<InterruptedTurn>> CloseInterruptedAsync(IReadOnlyList<InboxRecord> interrupted, CancellationToken cancellationToken)
    {
        var resumable = new List<InterruptedTurn>();
        foreach (var turn in interrupted.GroupBy(r => r.TurnId))
        {
            if (turn.Key is { } running && await _store.GetTurnAsync(running, cancellationToken).ConfigureAwait(false) is
                { Status: TurnStatus.Running, ResumePoint: { CanResume: true } point })
            {
                resumable.Add(new InterruptedTurn(running, [.. turn], point));
                continue;
            }

            var outcome = new TurnOutcome(TurnStatus.Interrupted, [], default, null, _time.GetUtcNow(), "The process stopped during the turn.");
            if (turn.Key is { } turnId)
                await _store.FinishTurnAsync(turnId, outcome, cancellationToken).ConfigureAwait(false);
            else
                await _store.SetInboxStatusAsync([.. turn.Select(r => r.Id)], InboxStatus.Failed, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await NotifyAsync(turn.Last().Message, new ReplyEnding(ReplyEndingKind.Interrupted, UserMessages.Interrupted), cancellationToken)
                .ConfigureAwait(false);
        }

        return resumable;
    }

    /// <summary>
    /// Returns once the conversation's lane has done what was queued in it before this call: an answer that recovery
    /// finishes after a restart, for instance. A channel that is about to stop (the terminal at the end of its input) waits
    /// for it, so that the answer is finished now rather than left for the next start.
    /// </summary>
    public Task WhenSettledAsync(ConversationKey key, CancellationToken cancellationToken = default) =>
        _lanes.RunInLaneAsync(key, static _ => Task.CompletedTask).WaitAsync(cancellationToken);
}
