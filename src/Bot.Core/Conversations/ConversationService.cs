using Bot.Core.Attachments;
using Bot.Core.Moderation;
using Bot.Core.Places;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Core.Tools.Approvals;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Conversations;

/// <summary>The outcome of <see cref="ConversationService.AcceptAsync"/>.</summary>
public enum AcceptStatus
{
    /// <summary>Stored and queued; it will be answered.</summary>
    Accepted,
    /// <summary>Seen before (a platform re-delivery); ignored.</summary>
    Duplicate,
}

/// <summary>An accepted message and a task that completes with its turn's status once it is answered.</summary>
public sealed record AcceptResult(AcceptStatus Status, Task<TurnStatus> Answered);

/// <summary>What a reset did.</summary>
/// <param name="HadConversation">False when there was nothing to reset.</param>
/// <param name="StoppedTurn">True when a running answer was stopped.</param>
/// <param name="DroppedMessages">Queued messages that will not be answered.</param>
/// <param name="DeletedRemoteObjects">Remote objects deleted.</param>
/// <param name="FailedDeletes">
/// Remote objects that could not be deleted now: they stay in the registry, marked for deletion, and the
/// <see cref="RemoteObjectSweeper"/> tries again later.
/// </param>
public sealed record ResetResult(bool HadConversation, bool StoppedTurn, int DroppedMessages, int DeletedRemoteObjects, int FailedDeletes);

/// <summary>
/// The core's front door for adapters: accept a message (stored first, deduplicated, then queued in its
/// conversation's lane), stop a running answer, reset a conversation, recover a channel after a restart.
/// </summary>
public sealed partial class ConversationService : IHostedService, IAsyncDisposable
{
    private readonly IConversationStore _store;
    private readonly BackendCatalog _backends;
    private readonly ChannelRegistry _channels;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ConversationService> _logger;
    private static readonly TimeSpan s_deliveryGrace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _delivery;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LaneScheduler _lanes;
    private readonly ConversationCluster? _cluster;
    private int _running;
    private int _disposed;

    public ConversationService(IConversationStore store, BackendCatalog backends, ChannelRegistry channels, AttachmentPolicy policy,
        IOptions<ConversationOptions> options, TimeProvider time, ILogger<ConversationService> logger, ApprovalBroker? approvals = null,
        ModerationGate? moderation = null, BudgetGate? budgets = null, PlaceSettings? places = null, IConversationLeases? leases = null,
        IOptions<ClusterOptions>? cluster = null, IStoreNotifications? notifications = null)
    {
        _store = store;
        _backends = backends;
        _channels = channels;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // On the service's clock, so that the grace after shutdown (CancelAfter) is as exact as every other wait of the core.
        _delivery = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _cluster = leases is null ? null : new ConversationCluster(leases, store, cluster?.Value ?? new ClusterOptions(), time, logger, notifications);
        var runner = new TurnRunner(store, backends, channels, new AttachmentIntake(policy, logger), _options, time, logger,
            _shutdown.Token, _delivery.Token, approvals ?? new ApprovalBroker(time), moderation, budgets, places);
        _lanes = new LaneScheduler(
            (key, batch, control) => CountedAsync(() => runner.RunAsync(key, batch, control)),
            _options.MaxConcurrentTurns, _options.MaxMessagesPerTurn, logger, _shutdown.Token, _cluster, CloseInterruptedAsync,
            (turn, control) => CountedAsync(() => runner.ResumeAsync(turn, control)));
    }

    private async Task<TurnStatus> CountedAsync(Func<Task<TurnStatus>> turn)
    {
        Interlocked.Increment(ref _running);
        try
        {
            return await turn().ConfigureAwait(false);
        }
        finally
        {
            // The last turn to end after shutdown lets StopAsync return.
            if (Interlocked.Decrement(ref _running) == 0 && _shutdown.IsCancellationRequested)
                _drained.TrySetResult();
        }
    }

    /// <summary>Number of turns running now.</summary>
    public int RunningTurns => Volatile.Read(ref _running);

    /// <summary>
    /// Raised when a reset leaves remote objects undeleted (the service failed, or the reset was cut short), with the
    /// time the first of them may be tried again: the <see cref="RemoteObjectSweeper"/> wakes up for it.
    /// </summary>
    public event Action<DateTimeOffset>? RemoteDeletionsPending;

    /// <summary>
    /// Accepts a message: records it in the inbox (a message id seen before is a duplicate and ignored),
    /// then queues it in its conversation's lane. Returns once it is stored, before it is answered.
    /// </summary>
    public async Task<AcceptResult> AcceptAsync(IncomingMessage message, CancellationToken cancellationToken = default)
    {
        var inboxId = await _store.TryAcceptAsync(message, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (inboxId is null)
        {
            Log.DuplicateMessage(_logger, message.MessageId, message.Conversation.Channel);
            return new AcceptResult(AcceptStatus.Duplicate, Task.FromResult(TurnStatus.Cancelled));
        }

        var pending = new PendingMessage(inboxId.Value, message);
        _lanes.Enqueue(pending);
        return new AcceptResult(AcceptStatus.Accepted, pending.Completion);
    }

    /// <summary>Stops the conversation's running answer. Returns false when nothing was running.</summary>
    public bool Stop(ConversationKey key) => _lanes.CancelRunning(key, CancelReason.Stop);

    /// <summary>
    /// Resets a conversation: stops its running answer, drops its queued messages, archives the mapping
    /// and (unless configured otherwise) deletes the remote conversation, files and vector store. Once it has
    /// begun, the local part (archive, deletions requested) is done whatever <paramref name="cancellationToken"/>
    /// says; the token only cuts the remote deletions short, and what they leave the sweep deletes later.
    /// </summary>
    public async Task<ResetResult> ResetAsync(ConversationKey key, CancellationToken cancellationToken = default)
    {
        var stopped = _lanes.CancelRunning(key, CancelReason.Reset);
        var elsewhere = _cluster is not null && await _cluster.SignalHolderAsync(key, ConversationSignal.Reset, cancellationToken).ConfigureAwait(false);
        var dropped = _lanes.DropQueued(key);
        if (_cluster is not null)
            dropped = [.. dropped, .. await WaitingElsewhereAsync(key, dropped, cancellationToken).ConfigureAwait(false)];
        // Not the caller's token: messages taken out of the lane must not stay waiting in the store, to be answered after a restart.
        if (dropped.Count > 0)
            await _store.SetInboxStatusAsync([.. dropped.Select(d => d.InboxId)], InboxStatus.Cancelled, _time.GetUtcNow(), CancellationToken.None)
                .ConfigureAwait(false);
        foreach (var message in dropped)
            message.Complete(TurnStatus.Cancelled);
        if (elsewhere)
        {
            // Nothing may write to the conversation while it is archived: wait until the other instance's turn ended.
            await _cluster!.WaitUntilReleasedAsync(key, _options.TurnTimeout, cancellationToken).ConfigureAwait(false);
            stopped = true;
        }

        ResetResult? result = null;
        await _lanes.RunInLaneAsync(key, async _ =>
        {
            var (had, deleted, failed) = await ArchiveAndDeleteAsync(key, cancellationToken).ConfigureAwait(false);
            result = new ResetResult(had, stopped, dropped.Count, deleted, failed);
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        Log.ConversationReset(_logger, key, result!.DeletedRemoteObjects, result.FailedDeletes, result.DroppedMessages);
        return result;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (_cluster is not null)
            await _cluster.StartAsync(_lanes.Wake, OnSignal, OnLeasesLost, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops running turns, gives their final writes a few seconds (their users are told), and waits for them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The grace counts from the moment the turns are told to stop.
        _delivery.CancelAfter(s_deliveryGrace);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        if (RunningTurns == 0)
            _drained.TrySetResult();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _delivery.CancelAsync().ConfigureAwait(false);
        }

        // Its conversations go to the other instances at once, not after the lease timeout.
        if (_cluster is not null)
            await _cluster.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // DI may dispose this twice: it is both a singleton and the hosted service that factory returns.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _shutdown.Dispose();
        _delivery.Dispose();
        _cluster?.Dispose();
    }

    private async Task<(bool Had, int Deleted, int Failed)> ArchiveAndDeleteAsync(ConversationKey key, CancellationToken cancellationToken)
    {
        // Local writes run to the end even if the caller went away (a closed browser tab): a reset is never half done.
        var record = await _store.FindConversationAsync(key, CancellationToken.None).ConfigureAwait(false);
        if (record is null)
            return (false, 0, 0);
        var now = _time.GetUtcNow();
        if (!_options.DeleteRemoteObjectsOnReset)
        {
            await _store.ArchiveConversationAsync(record.Id, now, CancellationToken.None).ConfigureAwait(false);
            return (true, 0, 0);
        }

        // Requested first, so that whatever this reset does not get to delete is the sweep's to delete.
        var schedule = _options.RemoteDeleteSchedule;
        var retryAt = schedule.NextAfter(1, now);
        var objects = await _store.ArchiveAndRequestDeletionAsync(record.Id, now, retryAt, CancellationToken.None).ConfigureAwait(false);
        var backend = _backends.Find(record.BackendKind) ?? _backends.Current;
        int deleted = 0, failed = 0;
        try
        {
            // Vector stores before their files, the conversation last.
            foreach (var item in objects.OrderBy(o => o.Kind switch { RemoteObjectKind.VectorStore => 0, RemoteObjectKind.File => 1, _ => 2 }))
            {
                try
                {
                    await backend.DeleteAsync(item.Kind, item.RemoteId, cancellationToken).ConfigureAwait(false);
                    Telemetry.CoreTelemetry.RemoteObjectDeleted(item.Kind);
                    await _store.MarkRemoteObjectDeletedAsync(item.Kind, item.RemoteId, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                    deleted++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    RemoteObjectSweeper.LogFailure(_logger, new RemoteDeletion(key, record.BackendKind, item, 1, retryAt), ex);
                    failed++;
                }
            }
        }
        finally
        {
            // Failed, or left untried by a cancellation.
            if (deleted < objects.Count && retryAt is { } due)
                RemoteDeletionsPending?.Invoke(due);
        }

        return (true, deleted, failed);
    }

    // A one-off final reply, laid out by the channel's presenter like any other (so no Stop button on it).
    private async Task NotifyAsync(IncomingMessage message, ReplyEnding ending, CancellationToken cancellationToken)
    {
        var channel = _channels.Find(message.Conversation.Channel);
        if (channel is null)
        {
            Log.ChannelMissing(_logger, message.Conversation.Channel, message.Conversation);
            return;
        }

        try
        {
            await ProgressiveReply.SendOnceAsync(channel.CreateReplyWriter(message.ReplyAddress), ReplySnapshot.Notice(ending), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.WriteFailed(_logger, 0, ex);
        }
    }
}
