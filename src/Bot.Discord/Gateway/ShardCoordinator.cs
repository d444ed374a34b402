using System.Collections.Concurrent;
using System.Threading.Channels;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Gateway;

/// <summary>
/// Runs this instance's share of the bot's shards when <c>Discord:ShardIds=auto</c>: every third of
/// <c>Cluster:LeaseTimeout</c> it renews the leases of the shards it runs (saving each one's session and sequence with
/// them), takes free or expired shards up to ceil(shards / live instances) and RESUMEs the session saved with each,
/// and hands back shards beyond its share when other instances joined. An IDENTIFY waits for its max_concurrency
/// bucket's slot in the store, so the rule holds across instances. A shard whose lease could not be renewed is closed
/// before another instance may take it. A clean stop hands every shard back with its session.
/// </summary>
internal sealed partial class ShardCoordinator(DiscordOptions options, DiscordRestClient rest, IShardLeases leases, RestBudget budget,
    IOptions<ClusterOptions> cluster, TimeProvider time, ILoggerFactory loggers)
{
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateUnbounded<GatewayDispatch>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<int, RunningShard> _running = new();
    private readonly ConcurrentDictionary<string, long> _processed = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<ShardCoordinator>();
    private int _count;
    private int _maxConcurrency = 1;

    /// <summary>The dispatches of every shard this instance runs, each with its shard's session.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    /// <summary>The shard ids this instance runs now.</summary>
    public IReadOnlyList<int> RunningShards => [.. _running.Keys.Order()];

    /// <summary>The session id of a shard this instance runs (null: not running here, or not connected yet).</summary>
    public string? SessionIdOf(int shardId) => _running.TryGetValue(shardId, out var shard) ? shard.Client.SavedSession?.SessionId : null;

    /// <summary>True once the coordinator looked at the leases (and took its share, if any was free).</summary>
    public bool Started { get; private set; }

    /// <summary>The bot's shard count (after the start: configured, or the one GET /gateway/bot recommends).</summary>
    public int ShardCount => _count;

    private string InstanceId => cluster.Value.EffectiveInstanceId;

    private TimeSpan LeaseTimeout => cluster.Value.LeaseTimeout;

    /// <summary>
    /// A dispatch was handled (its message stored): the sequence saved with the lease goes no further than what was
    /// handled, so a takeover replays what this instance received but never handled.
    /// </summary>
    public void Handled(GatewayDispatch dispatch)
    {
        if (dispatch is { Session: { } session, Sequence: { } sequence })
            _processed.AddOrUpdate(session.SessionId, sequence, (_, old) => Math.Max(old, sequence));
    }

    /// <summary>Runs until cancelled (then hands every shard back) or until a shard stops for good (returned).</summary>
    public async Task<GatewayStop?> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await ResolveShardsAsync(cancellationToken).ConfigureAwait(false) is { } refused)
                return refused;
            Log.ShardsLeased(_logger, _count, _maxConcurrency, InstanceId);
            var tick = LeaseTimeout / 3;
            while (true)
            {
                try
                {
                    // A store that hangs counts as one that fails: the shards' leases must not run out unnoticed.
                    using var tickTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    tickTimeout.CancelAfter(tick);
                    await TickAsync(tickTimeout.Token, cancellationToken).ConfigureAwait(false);
                    Started = true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Log.ShardLeasesFailed(_logger, ex);
                    await FenceAsync().ConfigureAwait(false);
                }

                if (FatalStop() is { } stop)
                    return stop;
                await Task.Delay(tick, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            foreach (var shard in _running.Values.OrderBy(s => s.Id).ToList())
                await HandBackAsync(shard, "shutdown", CancellationToken.None).ConfigureAwait(false);
            _dispatches.Writer.TryComplete();
        }
    }

    // The shard count (configured or recommended) and max_concurrency, from GET /gateway/bot.
    private async Task<GatewayStop?> ResolveShardsAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var info = await rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
                _maxConcurrency = Math.Max(1, info?["session_start_limit"]?["max_concurrency"]?.GetValue<int>() ?? 1);
                _count = options.FixedShardCount ?? Math.Max(1, info?["shards"]?.GetValue<int>() ?? 1);
                return null;
            }
            catch (DiscordApiException ex) when (ex.Status == System.Net.HttpStatusCode.Unauthorized)
            {
                return new GatewayStop(4004, GatewayCloseCodes.OperatorMessage(4004));
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or DiscordApiException or JsonException or InvalidOperationException)
            {
                Log.GatewayDropped(_logger, ex.Message);
                await Task.Delay(options.ReconnectDelay * Math.Min(60, 1 << Math.Min(attempt, 6)), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // cancellationToken bounds this tick's store calls; stopping is the coordinator's own (shards started now run under it).
    private async Task TickAsync(CancellationToken cancellationToken, CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        foreach (var shard in _running.Values.Where(s => !s.Run.IsCompleted).ToList())
        {
            if (await leases.RenewShardAsync(_count, shard.Id, InstanceId, SessionOf(shard), now, LeaseTimeout, cancellationToken).ConfigureAwait(false))
            {
                shard.RenewedAt = now;
                continue;
            }

            Log.ShardLost(_logger, shard.Id, _count, "another instance took it over");
            await StopAsync(shard).ConfigureAwait(false);
        }

        var sessions = _running.Values.Select(s => s.Client.SavedSession?.SessionId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var old in _processed.Keys.Where(k => !sessions.Contains(k)))
            _processed.TryRemove(old, out _);

        var live = await budget.UpdateAsync(cancellationToken).ConfigureAwait(false);
        var share = (_count + live - 1) / live;
        if (_running.Count < share)
        {
            var busy = (await leases.GetShardLeasesAsync(_count, cancellationToken).ConfigureAwait(false))
                .Where(l => l.ExpiresAt > now && l.OwnerInstanceId != InstanceId).Select(l => l.ShardId).ToHashSet();
            foreach (var id in Enumerable.Range(0, _count).Where(i => !_running.ContainsKey(i) && !busy.Contains(i)))
            {
                if (_running.Count >= share)
                    break;
                if (await leases.TryAcquireShardAsync(_count, id, InstanceId, now, LeaseTimeout, cancellationToken).ConfigureAwait(false) is { } lease)
                    Start(lease, now, stopping);
            }
        }
        else if (_running.Count > share)
        {
            // Others joined: the highest connected shards go back, with their sessions, for them to resume. A shard still
            // connecting waits for a later round: handed back now, it would cost a second IDENTIFY.
            foreach (var shard in _running.Values.Where(s => s.Client.SavedSession is not null).OrderByDescending(s => s.Id)
                         .Take(_running.Count - share).ToList())
                await HandBackAsync(shard, "another instance joined", cancellationToken).ConfigureAwait(false);
        }
    }

    private void Start(ShardLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var spec = new GatewayShard(lease.ShardId, _count, lease.Session, ct => IdentifyGateAsync(lease.ShardId, ct), _dispatches.Writer);
        var client = new DiscordGatewayClient(options, rest, time, loggers.CreateLogger<DiscordGatewayClient>(), spec);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(() => client.RunAsync(stop.Token), CancellationToken.None);
        _running[lease.ShardId] = new RunningShard(lease.ShardId, client, stop, run) { RenewedAt = now };
        Log.ShardTaken(_logger, lease.ShardId, _count, lease.Session is not null);
    }

    // Waits for the shard's max_concurrency bucket: one IDENTIFY per bucket per interval, whichever instance sends it.
    private async Task IdentifyGateAsync(int shardId, CancellationToken cancellationToken)
    {
        var bucket = shardId % _maxConcurrency;
        var interval = options.IdentifyInterval + options.IdentifyMargin;
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(interval.TotalMilliseconds / 10, 20, 500));
        while (!await leases.TryTakeIdentifySlotAsync(bucket, time.GetUtcNow(), interval, cancellationToken).ConfigureAwait(false))
        {
            Log.IdentifyWaiting(_logger, bucket, shardId);
            await Task.Delay(poll * (1 + Random.Shared.NextDouble()), time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The store could not be reached: a shard whose lease may run out before the next renewal closes now, before
    // another instance takes it over, so that it never runs twice.
    private async Task FenceAsync()
    {
        var now = time.GetUtcNow();
        foreach (var shard in _running.Values.Where(s => now - s.RenewedAt >= LeaseTimeout * 2 / 3).ToList())
        {
            Log.ShardLost(_logger, shard.Id, _count, "the store could not be reached");
            await StopAsync(shard).ConfigureAwait(false);
        }
    }

    private GatewayStop? FatalStop() =>
        _running.Values.Select(s => s.Run).FirstOrDefault(r => r.IsCompletedSuccessfully && r.Result is not null)?.Result;

    private Core.Storage.ShardSession? SessionOf(RunningShard shard)
    {
        var saved = shard.Client.SavedSession;
        return saved is not null && _processed.TryGetValue(saved.SessionId, out var handled) && (saved.Sequence is null || handled < saved.Sequence)
            ? saved with { Sequence = handled }
            : saved;
    }

    // Closes the connection without ending the session (no close frame: Discord keeps it resumable), then saves it with
    // the lease and frees the lease for the next holder.
    private async Task HandBackAsync(RunningShard shard, string reason, CancellationToken cancellationToken)
    {
        await StopAsync(shard).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            await leases.RenewShardAsync(_count, shard.Id, InstanceId, SessionOf(shard), now, LeaseTimeout, cancellationToken).ConfigureAwait(false);
            await leases.ReleaseShardAsync(_count, shard.Id, InstanceId, cancellationToken).ConfigureAwait(false);
            Log.ShardReleased(_logger, shard.Id, _count, reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unreleased, the lease runs out after Cluster:LeaseTimeout and another instance resumes the shard then.
            Log.ShardLeasesFailed(_logger, ex);
        }
    }

    private async Task StopAsync(RunningShard shard)
    {
        _running.TryRemove(shard.Id, out _);
        await shard.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await shard.Run.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
        }
        finally
        {
            shard.Stop.Dispose();
        }
    }

    private sealed class RunningShard(int id, DiscordGatewayClient client, CancellationTokenSource stop, Task<GatewayStop?> run)
    {
        public int Id { get; } = id;

        public DiscordGatewayClient Client { get; } = client;

        public CancellationTokenSource Stop { get; } = stop;

        public Task<GatewayStop?> Run { get; } = run;

        public DateTimeOffset RenewedAt { get; set; }
    }
}
