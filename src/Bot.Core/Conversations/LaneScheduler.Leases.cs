using Bot.Core.Storage;
using Bot.Core.Telemetry;

namespace Bot.Core.Conversations;

/// <summary>
/// Lanes on a store shared with other instances: a lane runs a turn only while this instance holds the conversation's
/// lease, builds the turn from the store's inbox (so messages another instance accepted count too), closes a turn a
/// failed holder left behind, and before it hands the lease back looks once more for messages that came meanwhile.
/// </summary>
internal sealed partial class LaneScheduler
{
    /// <summary>
    /// Starts the conversation's lane if it is idle (the poll found waiting messages and no live lease, or recovery after
    /// a start): it takes the lease and answers what waits in the store.
    /// </summary>
    public void Wake(ConversationKey key)
    {
        if (_lanes.TryGetValue(key, out var lane))
        {
            lock (lane)
            {
                // A running lane looks at the store before it goes idle anyway.
                if (lane.Running && !lane.Retired)
                    return;
            }
        }

        Add(key, WakeItem.Instance);
    }

    // The batch of a turn, from the store: every waiting message of the conversation in the order they were accepted, with
    // this lane's own messages (and ones this instance deferred earlier) keeping their Answered tasks. Empty when another
    // instance holds the lease (this lane's messages then wait for it) or nothing waits.
    private async Task<List<PendingMessage>> TakeLeasedBatchAsync(Lane lane)
    {
        var cluster = _cluster!;
        List<PendingMessage> local = [];
        HashSet<long> behindControl;
        lock (lane)
        {
            while (lane.Items.TryPeek(out var next) && next is PendingMessage or WakeItem)
            {
                lane.Items.Dequeue();
                if (next is PendingMessage message)
                    local.Add(message);
            }

            // Messages queued behind a reset wait for it: they are not taken into this turn.
            behindControl = [.. lane.Items.OfType<PendingMessage>().Select(m => m.InboxId)];
        }

        IReadOnlyList<InboxRecord> unfinished;
        try
        {
            // Taken (or confirmed and extended) before every turn: a lease lost meanwhile (this instance was silent too
            // long and another took over) must not run another turn here.
            if (!await cluster.TryAcquireAsync(lane.Key, _shutdown).ConfigureAwait(false))
            {
                lane.Leased = false;
                Log.LeasedElsewhere(_logger, lane.Key);
                cluster.Defer(local);
                if (local.Count > 0)
                    cluster.NotifyWaiting(lane.Key);
                return [];
            }

            lane.Leased = true;
            unfinished = await cluster.UnfinishedAsync(lane.Key, _shutdown).ConfigureAwait(false);
            var interrupted = unfinished.Where(r => r.Status == InboxStatus.Processing).ToList();
            if (interrupted.Count > 0 && _closeInterrupted is not null)
            {
                Log.TakenOver(_logger, lane.Key, interrupted.Count);
                CoreTelemetry.LeaseTakeovers.Add(1, new KeyValuePair<string, object?>("bot.channel", lane.Key.Channel));
                // A turn whose answer can be resumed is finished here, in the lane, before the waiting messages.
                foreach (var resumable in await _closeInterrupted(interrupted, _shutdown).ConfigureAwait(false))
                    await RunResumeAsync(lane, resumable).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The store failed (or the host stops): the messages stay Accepted in it, and the poll brings them back once
            // it answers again (or the next start does).
            if (!_shutdown.IsCancellationRequested)
                Log.LeaseFailed(_logger, lane.Key, ex);
            cluster.Defer(local);
            return [];
        }

        var mine = local.ToDictionary(m => m.InboxId);
        var batch = new List<PendingMessage>();
        foreach (var record in unfinished.Where(r => r.Status == InboxStatus.Accepted && !behindControl.Contains(r.Id)))
        {
            if (batch.Count == _maxBatch)
                break;
            batch.Add(mine.Remove(record.Id, out var own) ? own : cluster.TakeDeferred(record.Id) ?? new PendingMessage(record.Id, record.Message));
        }

        // Left over: still waiting (past the batch limit: the next turn takes them), or finished elsewhere meanwhile.
        // Either way they wait with the cluster, which completes each with how the store shows it ended (answered, or
        // cancelled by a reset on another instance) once it has.
        cluster.Defer([.. mine.Values]);

        return batch;
    }

    // The lane is out of work: one more look at the store (another instance may have accepted a message while the turn
    // ran), then the lease goes back.
    private async Task LookAgainOrReleaseAsync(Lane lane)
    {
        var cluster = _cluster!;
        var more = false;
        if (!_shutdown.IsCancellationRequested)
        {
            try
            {
                var unfinished = await cluster.UnfinishedAsync(lane.Key, _shutdown).ConfigureAwait(false);
                more = unfinished.Any(r => r.Status == InboxStatus.Accepted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
            {
                Log.LeaseFailed(_logger, lane.Key, ex);
            }
            catch (OperationCanceledException)
            {
                // Shutting down: the cluster hands every lease back at once.
            }
        }

        if (more && !_shutdown.IsCancellationRequested)
        {
            lock (lane)
                lane.Items.Enqueue(WakeItem.Instance);
            return;
        }

        if (!_shutdown.IsCancellationRequested)
            await cluster.ReleaseAsync(lane.Key).ConfigureAwait(false);
        lane.Leased = false;
    }

    /// <summary>Makes an idle lane run: what it answers comes from the store.</summary>
    private sealed class WakeItem
    {
        public static WakeItem Instance { get; } = new();
    }
}
