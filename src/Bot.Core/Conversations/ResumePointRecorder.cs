using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>
/// Stores a running turn's resume point (<see cref="TurnResumePoint"/>): with each visible write of its reply (the message
/// ids are known then) and at once when the backend moves to another response or starts or ends a function tool; never
/// per event. One save at a time, each with the latest state; a failed save is logged and the turn goes on.
/// </summary>
internal sealed class ResumePointRecorder
{
    private readonly ITurnLog _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<string> _messageIds;
    private long? _turnId;
    private long _savedChanges;
    private string? _savedTool;

    public ResumePointRecorder(ITurnLog store, TurnCheckpoint checkpoint, ILogger logger, IReadOnlyList<string>? messageIds = null)
    {
        _store = store;
        _logger = logger;
        Checkpoint = checkpoint;
        _messageIds = messageIds ?? [];
        _savedChanges = checkpoint.ResponseChanges;
        _savedTool = checkpoint.RunningTool;
    }

    /// <summary>What the backend records as the turn streams.</summary>
    public TurnCheckpoint Checkpoint { get; }

    /// <summary>The ids of the reply's messages as last written.</summary>
    public IReadOnlyList<string> MessageIds => Volatile.Read(ref _messageIds);

    /// <summary>The turn row to save to; nothing is saved before (its messages are remembered).</summary>
    public void Attach(long turnId) => _turnId = turnId;

    /// <summary>The reply wrote a message: saves with the message ids now known.</summary>
    public Task WrittenAsync(IReadOnlyList<string> messageIds)
    {
        Volatile.Write(ref _messageIds, messageIds);
        return SaveAsync();
    }

    /// <summary>After each event: saves only when the response or the running tool changed since the last save.</summary>
    public Task ObserveAsync() =>
        Checkpoint.ResponseChanges != Volatile.Read(ref _savedChanges) || !string.Equals(Checkpoint.RunningTool, Volatile.Read(ref _savedTool), StringComparison.Ordinal)
            ? SaveAsync()
            : Task.CompletedTask;

    private async Task SaveAsync()
    {
        if (_turnId is not { } turnId)
            return;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var (changes, tool) = (Checkpoint.ResponseChanges, Checkpoint.RunningTool);
            var point = new TurnResumePoint(Checkpoint.ResponseId, Checkpoint.SequenceNumber, Checkpoint.Resumable, tool, MessageIds);
            // Counted as saved also when the store fails: the next visible write tries again, not every event.
            Volatile.Write(ref _savedChanges, changes);
            Volatile.Write(ref _savedTool, tool);
            await _store.SaveResumePointAsync(turnId, point, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ResumePointSaveFailed(_logger, turnId, ex);
        }
        finally
        {
            _gate.Release();
        }
    }
}
