using System.Net.WebSockets;
using System.Threading.Channels;
using Bot.Core.Net;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// Discord gateway v10 over ClientWebSocket: HELLO, heartbeats (the first one jittered) with zombie
/// detection, IDENTIFY or RESUME, READY; it reconnects with backoff and resumes after drops, op 7 and
/// resumable op 9, identifies afresh when the session is gone, and stops for good on the fatal close
/// codes (4004, 4010–4014). Dispatches go to <see cref="Dispatches"/>; the receive loop never waits for them.
/// </summary>
/// <remarks>
/// Without a <see cref="GatewayShard"/> it runs <c>Discord:ShardId</c> of <c>Discord:ShardCount</c> (one process per shard,
/// set by hand); with one, the shard the <see cref="ShardCoordinator"/> leased, resuming the session saved with the lease.
/// </remarks>
internal sealed partial class DiscordGatewayClient(DiscordOptions options, DiscordRestClient rest, TimeProvider time, ILogger<DiscordGatewayClient> logger,
    GatewayShard? shard = null)
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(60);
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateUnbounded<GatewayDispatch>(new() { SingleReader = true });
    private readonly int _shardId = shard?.Id ?? options.ShardId;
    private readonly int _shardCount = shard?.Count ?? options.FixedShardCount ?? 1;
    private readonly Lock _sessionLock = new();
    private string? _gatewayUrl;
    private string? _sessionId = shard?.Resume?.SessionId;
    private string? _resumeUrl = shard?.Resume?.ResumeGatewayUrl;
    private long? _sequence = shard?.Resume?.Sequence;
    private long _lastIdentify;

    /// <summary>Every dispatch in arrival order (READY and RESUMED included), unless a <see cref="GatewayShard"/> names where they go.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    /// <summary>The current session (after the first READY, or the saved one a leased shard resumes).</summary>
    public GatewaySession? Session { get; private set; } = shard?.Resume is { } saved
        ? new GatewaySession(saved.SessionId, saved.ResumeGatewayUrl, saved.BotUserId, saved.ApplicationId)
        : null;

    /// <summary>This client's shard id.</summary>
    public int ShardId => _shardId;

    /// <summary>What another instance needs to RESUME this session (null while there is none): read by the shard's lease renewals.</summary>
    public Bot.Core.Storage.ShardSession? SavedSession
    {
        get
        {
            lock (_sessionLock)
            {
                return _sessionId is { } id && _resumeUrl is { } url && Session is { } session
                    ? new Bot.Core.Storage.ShardSession(id, url, _sequence, session.BotUserId, session.ApplicationId)
                    : null;
            }
        }
    }

    private ChannelWriter<GatewayDispatch> Output => shard?.Output ?? _dispatches.Writer;

    /// <summary>Connects and stays connected until cancelled or a fatal close code (returned).</summary>
    public async Task<GatewayStop?> RunAsync(CancellationToken cancellationToken = default)
    {
        // Reconnects since the last healthy connection: the wait doubles with each, from Discord:ReconnectDelay up to a
        // minute, spread a little so that many bots dropped together do not come back together.
        var reconnects = 0;
        var backoff = new Backoff(options.ReconnectDelay, s_maxBackoff);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var resume = _sessionId is not null && _resumeUrl is not null;
                ConnectionEnd end;
                try
                {
                    if (!resume)
                        await BeforeIdentifyAsync(cancellationToken).ConfigureAwait(false);
                    var url = resume ? _resumeUrl! : _gatewayUrl!;
                    end = await RunConnectionAsync(Versioned(url), resume, cancellationToken).ConfigureAwait(false);
                }
                catch (DiscordApiException ex) when (ex.Status == System.Net.HttpStatusCode.Unauthorized)
                {
                    // GET /gateway/bot refused the token: the gateway would close with 4004, so stop the same way.
                    end = new ConnectionEnd(ReconnectAction.Fatal, 4004, Healthy: false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Whatever broke this connection (network, a malformed frame, Discord's REST), the next one may work.
                    Log.GatewayDropped(logger, ex.Message);
                    end = new ConnectionEnd(ReconnectAction.Resume, null, Healthy: false);
                }

                if (end.Action == ReconnectAction.Fatal)
                {
                    var message = GatewayCloseCodes.OperatorMessage(end.CloseCode!.Value);
                    Log.GatewayFatal(logger, end.CloseCode.Value, message);
                    return new GatewayStop(end.CloseCode.Value, message);
                }

                if (end.Action == ReconnectAction.Identify)
                    ForgetSession();
                if (end.Healthy)
                    reconnects = 0;
                var wait = end.Immediate ? TimeSpan.Zero : backoff.Delay(reconnects);
                Log.GatewayReconnecting(logger, end.CloseCode, end.Action.ToString(), wait);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                if (!end.Immediate)
                    reconnects++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // A leased shard's dispatches share a channel with the other shards; its coordinator completes it.
            _dispatches.Writer.TryComplete();
        }

        return null;
    }

    // Where to identify, and whether the daily session budget and the identify spacing allow it now.
    private async Task BeforeIdentifyAsync(CancellationToken cancellationToken)
    {
        var sinceLast = time.GetElapsedTime(_lastIdentify);
        if (_lastIdentify != 0 && sinceLast < options.IdentifyInterval)
            await Task.Delay(options.IdentifyInterval - sinceLast, time, cancellationToken).ConfigureAwait(false);

        var info = await rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        _gatewayUrl = string.IsNullOrWhiteSpace(options.GatewayUrl) ? info?["url"]?.GetValue<string>() : options.GatewayUrl;
        if (_gatewayUrl is null)
            throw new InvalidOperationException("GET /gateway/bot named no gateway URL and Discord:GatewayUrl is not set.");
        if (info?["session_start_limit"] is JsonObject limit && limit["remaining"]?.GetValue<int>() == 0)
        {
            var resetAfter = TimeSpan.FromMilliseconds(limit["reset_after"]?.GetValue<double>() ?? 60_000);
            Log.IdentifyBudgetExhausted(logger, resetAfter);
            await Task.Delay(resetAfter, time, cancellationToken).ConfigureAwait(false);
        }

        // Last, so that the IDENTIFY follows its slot in the shared max_concurrency bucket as closely as possible.
        if (shard is not null)
            await shard.BeforeIdentify(cancellationToken).ConfigureAwait(false);
    }

    private void ForgetSession()
    {
        lock (_sessionLock)
        {
            _sessionId = null;
            _resumeUrl = null;
            _sequence = null;
        }
    }

    private static Uri Versioned(string url)
    {
        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?');
        if (!query.Contains("v=", StringComparison.Ordinal))
            query = (query.Length > 0 ? query + "&" : "") + "v=10&encoding=json";
        builder.Query = query;
        return builder.Uri;
    }

    private JsonObject IdentifyPayload() => new()
    {
        ["op"] = GatewayOp.Identify,
        ["d"] = new JsonObject
        {
            ["token"] = options.Token,
            ["intents"] = GatewayOp.Intents,
            ["properties"] = new JsonObject { ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), ["browser"] = "bot-discord", ["device"] = "bot-discord" },
            ["shard"] = new JsonArray(_shardId, _shardCount),
        },
    };

    private JsonObject ResumePayload() => new()
    {
        ["op"] = GatewayOp.Resume,
        ["d"] = new JsonObject { ["token"] = options.Token, ["session_id"] = _sessionId, ["seq"] = _sequence },
    };

    private sealed record ConnectionEnd(ReconnectAction Action, int? CloseCode, bool Healthy, bool Immediate = false);
}
