using System.Collections.Concurrent;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>
/// This instance's side of the conversation leases: it registers the instance, renews its leases every third of the
/// lease timeout (one heartbeat for all of them), takes and hands back single leases for the lanes, looks every poll
/// interval for conversations with waiting messages that no instance runs, and hands everything back at a clean stop.
/// Messages this instance accepted for a conversation another instance runs wait here until the store shows them done.
/// Where the store has notifications (PostgreSQL), such a message and a signal also notify the other instances, which
/// look at once instead of at their next poll (ConversationCluster.Notifications.cs).
/// </summary>
internal sealed partial class ConversationCluster(IConversationLeases leases, IInbox inbox, ClusterOptions options, TimeProvider time, ILogger logger,
    IStoreNotifications? notifications = null) : IDisposable
{
    private const int PollBatch = 100;
    private readonly ConcurrentDictionary<ConversationKey, bool> _held = new();
    private readonly ConcurrentDictionary<ConversationKey, bool> _releaseLater = new();
    private readonly ConcurrentDictionary<long, PendingMessage> _deferred = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private Task? _watch;
    private bool _started;
    private Action<ConversationKey, ConversationSignal>? _signalled;
    private Action<IReadOnlyList<ConversationKey>>? _lost;

    public string InstanceId { get; } = options.EffectiveInstanceId;

    public TimeSpan LeaseTimeout => options.LeaseTimeout;

    /// <summary>
    /// Registers the instance and starts the heartbeat and the poll; <paramref name="wake"/> is called for orphaned
    /// conversations, <paramref name="lost"/> with the conversations whose running turns must stop here because this instance
    /// may no longer hold their leases (see <c>ConversationCluster.Lapse.cs</c>).
    /// </summary>
    public async Task StartAsync(Action<ConversationKey> wake, Action<ConversationKey, ConversationSignal> signalled,
        Action<IReadOnlyList<ConversationKey>> lost, CancellationToken cancellationToken)
    {
        await EnsureIdIsFreeAsync(cancellationToken).ConfigureAwait(false);
        await leases.RegisterInstanceAsync(InstanceId, time.GetUtcNow(), ProcessToken, cancellationToken).ConfigureAwait(false);
        Log.InstanceRegistered(logger, InstanceId, options.LeaseTimeout);
        _started = true;
        _signalled = signalled;
        _lost = lost;
        Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);
        Listen(wake);
        _loop = Task.Run(() => RunAsync(wake, _stopping.Token), CancellationToken.None);
        _watch = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Leaves <paramref name="signal"/> for the instance that holds the conversation's live lease. False when no other
    /// instance holds one (then nothing of the conversation runs elsewhere).
    /// </summary>
    public async Task<bool> SignalHolderAsync(ConversationKey key, ConversationSignal signal, CancellationToken cancellationToken)
    {
        var lease = await leases.FindLeaseAsync(key, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (lease is null || lease.OwnerInstanceId == InstanceId || lease.ExpiresAt <= now)
            return false;
        await leases.AddSignalAsync(key, signal, now, cancellationToken).ConfigureAwait(false);
        Log.SignalSent(logger, signal.ToString(), key, lease.OwnerInstanceId);
        await NotifyAsync(SignalKind, key).ConfigureAwait(false);
        return true;
    }

    /// <summary>Waits (polling) until no other instance holds a live lease of the conversation, at most <paramref name="limit"/>.</summary>
    public async Task WaitUntilReleasedAsync(ConversationKey key, TimeSpan limit, CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + limit;
        while (time.GetUtcNow() < giveUpAt)
        {
            var lease = await leases.FindLeaseAsync(key, cancellationToken).ConfigureAwait(false);
            if (lease is null || lease.OwnerInstanceId == InstanceId || lease.ExpiresAt <= time.GetUtcNow())
                return;
            await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the heartbeat and hands every lease back, so that other instances take the conversations at once.</summary>
    public async Task StopAsync()
    {
        if (!_started || _stopping.IsCancellationRequested)
            return;
        _subscription?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        if (_watch is not null)
            await _watch.ConfigureAwait(false);
        try
        {
            var released = await leases.ReleaseAllLeasesAsync(InstanceId, CancellationToken.None).ConfigureAwait(false);
            Log.InstanceLeft(logger, InstanceId, released);
        }
        catch (Exception ex)
        {
            Log.LeaveFailed(logger, InstanceId, ex);
        }

        foreach (var message in _deferred.Values)
            message.Complete(TurnStatus.Interrupted);
        _deferred.Clear();
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Takes (or extends) the conversation's lease. False when another instance holds a live one.</summary>
    public async Task<bool> TryAcquireAsync(ConversationKey key, CancellationToken cancellationToken)
    {
        _held[key] = true;
        bool acquired;
        try
        {
            acquired = await leases.TryAcquireLeaseAsync(key, InstanceId, time.GetUtcNow(), options.LeaseTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            _held.TryRemove(key, out _);
            throw;
        }

        if (!acquired)
            _held.TryRemove(key, out _);
        return acquired;
    }

    /// <summary>Hands the lease back; a failure is retried by the poll (the heartbeat would otherwise keep it alive).</summary>
    public async Task ReleaseAsync(ConversationKey key)
    {
        _held.TryRemove(key, out _);
        try
        {
            await leases.ReleaseLeaseAsync(key, InstanceId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.LeaseFailed(logger, key, ex);
            _releaseLater[key] = true;
        }
    }

    /// <summary>The conversation's messages still waiting or in a turn, whichever instance accepted them.</summary>
    public Task<IReadOnlyList<InboxRecord>> UnfinishedAsync(ConversationKey key, CancellationToken cancellationToken) =>
        leases.GetUnfinishedInboxAsync(key, cancellationToken);

    /// <summary>Keeps messages that another instance will answer, so that their Answered tasks complete when it has.</summary>
    public void Defer(IEnumerable<PendingMessage> messages)
    {
        foreach (var message in messages)
            _deferred[message.InboxId] = message;
    }

    /// <summary>The waiting message this instance accepted with that inbox id, taken out of the deferred ones; or null.</summary>
    public PendingMessage? TakeDeferred(long inboxId) => _deferred.TryRemove(inboxId, out var message) ? message : null;

    private async Task RunAsync(Action<ConversationKey> wake, CancellationToken stopping)
    {
        var beatEvery = options.LeaseTimeout / 3;
        var nextBeat = time.GetUtcNow() + beatEvery;
        var pollEvery = options.PollInterval < beatEvery ? options.PollInterval : beatEvery;
        while (!stopping.IsCancellationRequested)
        {
            if (!await WaitForPollAsync(pollEvery, stopping).ConfigureAwait(false))
                return;

            // After a failed beat, every round tries again: the leases are renewed as soon as the store answers.
            if (time.GetUtcNow() >= nextBeat || _failing)
            {
                nextBeat = time.GetUtcNow() + beatEvery;
                await BeatAsync(stopping).ConfigureAwait(false);
            }

            await PollAsync(wake, stopping).ConfigureAwait(false);
        }
    }

    private async Task PollAsync(Action<ConversationKey> wake, CancellationToken stopping)
    {
        try
        {
            foreach (var key in _releaseLater.Keys)
            {
                if (!_held.ContainsKey(key))
                    await leases.ReleaseLeaseAsync(key, InstanceId, stopping).ConfigureAwait(false);
                _releaseLater.TryRemove(key, out _);
            }

            // Stops and resets asked for on other instances, for the turns this one runs; a signal older than a lease
            // timeout belongs to a turn that is over.
            if (!_held.IsEmpty && _signalled is { } signalled)
            {
                var now = time.GetUtcNow();
                foreach (var (key, signal) in await leases.TakeSignalsAsync(InstanceId, now - options.LeaseTimeout, stopping).ConfigureAwait(false))
                    signalled(key, signal);
            }

            foreach (var key in await leases.GetUnleasedWaitingConversationsAsync(time.GetUtcNow(), PollBatch, stopping).ConfigureAwait(false))
                wake(key);

            await CompleteDeferredAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            Log.LeasePollFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // A deferred message the store no longer shows waiting or in a turn was answered (or closed) by another instance: its
    // caller learns how it ended there (answered, failed, or cancelled by a stop or a reset).
    private async Task CompleteDeferredAsync(CancellationToken stopping)
    {
        if (_deferred.IsEmpty)
            return;
        var finished = new List<PendingMessage>();
        foreach (var key in _deferred.Values.Select(m => m.Message.Conversation).Distinct().ToList())
        {
            var unfinished = (await leases.GetUnfinishedInboxAsync(key, stopping).ConfigureAwait(false)).Select(r => r.Id).ToHashSet();
            finished.AddRange(_deferred.Values.Where(m => m.Message.Conversation == key && !unfinished.Contains(m.InboxId)));
        }

        if (finished.Count == 0)
            return;
        var statuses = await inbox.GetInboxStatusesAsync([.. finished.Select(m => m.InboxId)], stopping).ConfigureAwait(false);
        foreach (var message in finished)
        {
            if (_deferred.TryRemove(message.InboxId, out _))
                message.Complete(statuses.GetValueOrDefault(message.InboxId) switch
                {
                    InboxStatus.Cancelled => TurnStatus.Cancelled,
                    InboxStatus.Failed => TurnStatus.Failed,
                    _ => TurnStatus.Completed,
                });
        }
    }
}
