using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>Stop and reset on a store shared with other instances: they reach the instance that runs the turn.</summary>
public sealed partial class ConversationService
{
    /// <summary>
    /// Stops the conversation's running answer, here or, on a shared store, on the instance that runs it (through a
    /// signal that instance takes within a poll interval). Returns false when nothing was running.
    /// </summary>
    public async Task<bool> StopTurnAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        if (Stop(key))
            return true;
        return _cluster is not null && await _cluster.SignalHolderAsync(key, ConversationSignal.Stop, cancellationToken).ConfigureAwait(false);
    }

    private void OnSignal(ConversationKey key, ConversationSignal signal) =>
        _lanes.CancelRunning(key, signal == ConversationSignal.Reset ? CancelReason.Reset : CancelReason.Stop);

    // This instance may no longer hold these conversations' leases: it stops writing as their holder.
    private void OnLeasesLost(IReadOnlyList<ConversationKey> lost)
    {
        foreach (var key in lost)
            _lanes.CancelRunning(key, CancelReason.LeaseLost);
    }

    // Messages of the conversation that wait in the store, accepted by any instance: a reset drops them too.
    private async Task<IReadOnlyList<PendingMessage>> WaitingElsewhereAsync(ConversationKey key, IReadOnlyList<PendingMessage> droppedHere,
        CancellationToken cancellationToken)
    {
        var here = droppedHere.Select(d => d.InboxId).ToHashSet();
        var unfinished = await _cluster!.UnfinishedAsync(key, cancellationToken).ConfigureAwait(false);
        return [.. unfinished.Where(r => r.Status == InboxStatus.Accepted && !here.Contains(r.Id))
            .Select(r => _cluster.TakeDeferred(r.Id) ?? new PendingMessage(r.Id, r.Message))];
    }
}
