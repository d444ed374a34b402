using System.Collections.Concurrent;
using Bot.Core.Infrastructure;
using Bot.Core.Storage;
using Bot.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>A message accepted into a lane, with a task that completes when its turn ends.</summary>
internal sealed class PendingMessage(long inboxId, IncomingMessage message)
{
    private readonly TaskCompletionSource<TurnStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long InboxId { get; } = inboxId;

    public IncomingMessage Message { get; } = message;

    /// <summary>When and in which trace it was accepted (telemetry).</summary>
    public AcceptMark Accepted { get; } = new(message.Conversation.Channel);

    public Task<TurnStatus> Completion => _completion.Task;

    public void Complete(TurnStatus status)
    {
        Accepted.LeftQueue();
        _completion.TrySetResult(status);
    }
}

/// <summary>Why a running turn was cancelled by the bot's own controls.</summary>
internal enum CancelReason
{
    None,
    Stop,
    Reset,
    /// <summary>This instance may no longer hold the conversation's lease: the turn ends without a word; the next holder tells the user.</summary>
    LeaseLost,
}

/// <summary>The cancellation of one running turn, and why it was cancelled.</summary>
internal sealed class TurnControl : IDisposable
{
    private readonly CancellationTokenSource _source;

    public TurnControl(CancellationToken shutdown) => _source = CancellationTokenSource.CreateLinkedTokenSource(shutdown);

    public CancellationToken Token => _source.Token;

    public CancelReason Reason { get; private set; }

    public void Cancel(CancelReason reason)
    {
        if (Reason == CancelReason.None)
            Reason = reason;
        _source.Cancel();
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>
/// Lanes: one serial lane per conversation, with a bounded number of turns running across all lanes.
/// When a turn ends, every message that arrived meanwhile becomes the next turn, so one remote
/// conversation never has two responses at once. Control work (a reset) runs in the lane too, between
/// turns. Idle lanes are dropped, so memory follows the number of busy conversations.
/// </summary>
internal sealed partial class LaneScheduler
{
    private readonly ConcurrentDictionary<ConversationKey, Lane> _lanes = new();
    private readonly SemaphoreSlim _turnSlots;
    private readonly Func<ConversationKey, IReadOnlyList<PendingMessage>, TurnControl, Task<TurnStatus>> _runTurn;
    private readonly int _maxBatch;
    private readonly CancellationToken _shutdown;
    private readonly ILogger _logger;
    private readonly ConversationCluster? _cluster;
    private readonly Func<IReadOnlyList<InboxRecord>, CancellationToken, Task>? _closeInterrupted;

    public LaneScheduler(
        Func<ConversationKey, IReadOnlyList<PendingMessage>, TurnControl, Task<TurnStatus>> runTurn,
        int maxConcurrentTurns, int maxBatch, ILogger logger, CancellationToken shutdown, ConversationCluster? cluster = null,
        Func<IReadOnlyList<InboxRecord>, CancellationToken, Task>? closeInterrupted = null)
    {
        _runTurn = runTurn;
        _cluster = cluster;
        _closeInterrupted = closeInterrupted;
        _turnSlots = new SemaphoreSlim(maxConcurrentTurns, maxConcurrentTurns);
        _maxBatch = maxBatch;
        _logger = logger;
        _shutdown = shutdown;
    }

    /// <summary>Adds a message to its conversation's lane.</summary>
    public void Enqueue(PendingMessage message) => Add(message.Message.Conversation, message);

    /// <summary>Runs <paramref name="action"/> in the conversation's lane, after the work queued before it.</summary>
    public Task RunInLaneAsync(ConversationKey key, Func<CancellationToken, Task> action)
    {
        var item = new ControlItem(action);
        Add(key, item);
        return item.Completion.Task;
    }

    /// <summary>Cancels the conversation's running turn. Returns false when none is running.</summary>
    public bool CancelRunning(ConversationKey key, CancelReason reason)
    {
        if (!_lanes.TryGetValue(key, out var lane))
            return false;
        lock (lane)
        {
            if (lane.CurrentTurn is null)
                return false;
            lane.CurrentTurn.Cancel(reason);
            return true;
        }
    }

    /// <summary>Removes the conversation's queued messages (not yet in a turn) and returns them.</summary>
    public IReadOnlyList<PendingMessage> DropQueued(ConversationKey key)
    {
        if (!_lanes.TryGetValue(key, out var lane))
            return [];
        lock (lane)
        {
            var dropped = lane.Items.OfType<PendingMessage>().ToList();
            var kept = lane.Items.Where(i => i is not PendingMessage).ToList();
            lane.Items.Clear();
            foreach (var item in kept)
                lane.Items.Enqueue(item);
            return dropped;
        }
    }

    private void Add(ConversationKey key, object item)
    {
        while (true)
        {
            var lane = _lanes.GetOrAdd(key, static k => new Lane(k));
            lock (lane)
            {
                if (lane.Retired)
                    continue; // it just went idle and left the table; take a fresh one
                lane.Items.Enqueue(item);
                if (!lane.Running)
                {
                    lane.Running = true;
                    BackgroundWork.Run(() => DrainAsync(lane), _logger, "a conversation lane", _shutdown);
                }

                return;
            }
        }
    }

    private async Task DrainAsync(Lane lane)
    {
        while (true)
        {
            object head;
            var lookAgain = false;
            lock (lane)
            {
                if (lane.Items.Count == 0 && lane.Leased)
                {
                    lookAgain = true;
                }
                else if (lane.Items.Count == 0)
                {
                    lane.Running = false;
                    lane.Retired = true;
                    _lanes.TryRemove(new KeyValuePair<ConversationKey, Lane>(lane.Key, lane));
                    return;
                }

                head = lookAgain ? WakeItem.Instance : lane.Items.Peek();
                if (head is ControlItem)
                    lane.Items.Dequeue();
            }

            if (lookAgain)
            {
                await LookAgainOrReleaseAsync(lane).ConfigureAwait(false);
                continue;
            }

            if (head is ControlItem control)
                await RunControlAsync(control).ConfigureAwait(false);
            else
                await RunNextTurnAsync(lane).ConfigureAwait(false);
        }
    }

    private async Task RunControlAsync(ControlItem control)
    {
        try
        {
            await control.Action(_shutdown).ConfigureAwait(false);
            control.Completion.TrySetResult();
        }
        catch (Exception ex)
        {
            control.Completion.TrySetException(ex);
        }
    }

    private async Task RunNextTurnAsync(Lane lane)
    {
        try
        {
            await _turnSlots.WaitAsync(_shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            FailQueued(lane, TurnStatus.Interrupted);
            return;
        }

        List<PendingMessage> batch = [];
        try
        {
            using var control = new TurnControl(_shutdown);
            if (_cluster is not null)
            {
                batch = await TakeLeasedBatchAsync(lane).ConfigureAwait(false);
                if (batch.Count == 0)
                    return;
                lock (lane)
                    lane.CurrentTurn = control;
            }
            else
            {
                lock (lane)
                {
                    // Take the messages waiting now, in order, up to the first control item.
                    while (batch.Count < _maxBatch && lane.Items.TryPeek(out var next) && next is PendingMessage message)
                    {
                        lane.Items.Dequeue();
                        batch.Add(message);
                    }

                    if (batch.Count == 0)
                        return;
                    lane.CurrentTurn = control;
                }
            }

            TurnStatus status;
            try
            {
                status = await _runTurn(lane.Key, batch, control).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.LaneTurnCrashed(_logger, lane.Key, ex);
                status = TurnStatus.Failed;
            }
            finally
            {
                lock (lane)
                    lane.CurrentTurn = null;
            }

            foreach (var message in batch)
                message.Complete(status);
        }
        finally
        {
            _turnSlots.Release();
        }
    }

    private static void FailQueued(Lane lane, TurnStatus status)
    {
        lock (lane)
        {
            foreach (var message in lane.Items.OfType<PendingMessage>())
                message.Complete(status);
            foreach (var control in lane.Items.OfType<ControlItem>())
                control.Completion.TrySetCanceled();
            lane.Items.Clear();
        }
    }

    private sealed class Lane(ConversationKey key)
    {
        public ConversationKey Key { get; } = key;

        public Queue<object> Items { get; } = new();

        public bool Running { get; set; }

        public bool Retired { get; set; }

        public TurnControl? CurrentTurn { get; set; }

        /// <summary>True while this instance holds the conversation's lease (only with a cluster).</summary>
        public bool Leased { get; set; }
    }

    private sealed class ControlItem(Func<CancellationToken, Task> action)
    {
        public Func<CancellationToken, Task> Action { get; } = action;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
