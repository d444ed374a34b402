using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>
/// A holder cut off from the store. Once its heartbeat has failed for a whole lease timeout, its leases may have
/// expired and another instance may take its conversations over; it cannot know which until the store answers. When
/// the store answers again, the first heartbeat renews every lease still this instance's (nobody took it: those turns go
/// on) and the turns of conversations whose lease is gone or another's stop here at once, without a word: the taker
/// closes each and tells its user, once. If the store stays away for two lease timeouts, every running turn stops, as by
/// then another instance has had time to take the conversations over and two answers must not run at once.
/// </summary>
internal sealed partial class ConversationCluster
{
    private long _lastBeatTicks;
    private int _lapsedFlag;
    private int _stoppedAllFlag;
    private volatile bool _failing;

    /// <summary>True while no heartbeat succeeded for a lease timeout: other instances may have taken this one's conversations.</summary>
    public bool Lapsed => Volatile.Read(ref _lapsedFlag) == 1;

    private async Task BeatAsync(CancellationToken stopping)
    {
        // A beat that hangs (packets to the database dropped) must not outlast the leases it would renew.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(options.LeaseTimeout);
        try
        {
            var at = time.GetUtcNow();
            await leases.HeartbeatAsync(InstanceId, at, options.LeaseTimeout, limit.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastBeatTicks, at.UtcTicks);
            _failing = false;
            Interlocked.Exchange(ref _stoppedAllFlag, 0);
            if (Interlocked.Exchange(ref _lapsedFlag, 0) == 1)
            {
                Log.HeartbeatBack(logger, InstanceId);
                await StopTakenAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            _failing = true;
            Log.HeartbeatFailed(logger, InstanceId, ex);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // After a lapse: the conversations this instance ran whose lease another instance took meanwhile (or took and gave back).
    private async Task StopTakenAsync(CancellationToken cancellationToken)
    {
        var taken = new List<ConversationKey>();
        foreach (var key in _held.Keys)
        {
            var lease = await leases.FindLeaseAsync(key, cancellationToken).ConfigureAwait(false);
            if (lease is null || lease.OwnerInstanceId != InstanceId)
                taken.Add(key);
        }

        if (taken.Count > 0)
            Stop(taken);
    }

    // Apart from the heartbeat, whose calls may hang (each is cut off after a lease timeout, a failure).
    private async Task WatchAsync(CancellationToken stopping)
    {
        var every = options.PollInterval < options.LeaseTimeout / 3 ? options.PollInterval : options.LeaseTimeout / 3;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!_failing)
                continue;
            var silent = time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastBeatTicks), TimeSpan.Zero);
            if (silent >= options.LeaseTimeout && Interlocked.Exchange(ref _lapsedFlag, 1) == 0)
                Log.LeasesLapsed(logger, InstanceId, silent, _held.Count);
            if (silent >= options.LeaseTimeout * 2 && Interlocked.Exchange(ref _stoppedAllFlag, 1) == 0)
                Stop([.. _held.Keys]);
        }
    }

    private void Stop(IReadOnlyList<ConversationKey> keys)
    {
        Log.LeasedTurnsStopped(logger, InstanceId, keys.Count);
        try
        {
            _lost?.Invoke(keys);
        }
        catch (Exception ex)
        {
            Log.LeasePollFailed(logger, ex);
        }
    }
}
