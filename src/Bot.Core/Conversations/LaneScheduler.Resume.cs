namespace Bot.Core.Conversations;

/// <summary>
/// Interrupted turns whose answers can be resumed run in their conversation's lane like any turn: one at a time with
/// the conversation's other turns, before the messages that waited behind them, stoppable with Stop and reset.
/// </summary>
internal sealed partial class LaneScheduler
{
    /// <summary>Queues the finishing of an interrupted turn in its conversation's lane (ahead of what is queued after it).</summary>
    public void EnqueueResume(InterruptedTurn turn) => Add(turn.Key, new ResumeItem(turn));

    private async Task RunResumeItemAsync(Lane lane, InterruptedTurn turn)
    {
        try
        {
            await _turnSlots.WaitAsync(_shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the turn stays Running in the store: the next start finishes it
        }

        try
        {
            await RunResumeAsync(lane, turn).ConfigureAwait(false);
        }
        finally
        {
            _turnSlots.Release();
        }
    }

    // The caller holds a turn slot (and, on a shared store, the conversation's lease).
    private async Task RunResumeAsync(Lane lane, InterruptedTurn turn)
    {
        if (_resumeTurn is null)
            return;
        using var control = new TurnControl(_shutdown);
        lock (lane)
            lane.CurrentTurn = control;
        try
        {
            await _resumeTurn(turn, control).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.LaneTurnCrashed(_logger, lane.Key, ex);
        }
        finally
        {
            lock (lane)
                lane.CurrentTurn = null;
        }
    }

    private sealed class ResumeItem(InterruptedTurn turn)
    {
        public InterruptedTurn Turn { get; } = turn;
    }
}
