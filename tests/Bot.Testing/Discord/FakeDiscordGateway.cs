using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Discord;

/// <summary>A heartbeat the fake gateway received: when, and the sequence it carried.</summary>
public sealed record FakeHeartbeat(DateTimeOffset At, long? Sequence, int Connection);

/// <summary>
/// The fake's gateway: HELLO from the recorded frame, READY and GUILD_CREATE (recorded, with this fake's ids)
/// after IDENTIFY, RESUME with replay of missed dispatches then RESUMED (or op 9 when it cannot resume),
/// heartbeat ACKs, and controls for tests: send any op, close with a code, drop the connection, stop ACKing.
/// Several shards share it: each IDENTIFY names [shard, count], each shard has its own session and sequence, and a
/// dispatch goes to the shard of its guild ((guild_id &gt;&gt; 22) % count; no guild: shard 0), as on Discord.
/// </summary>
public sealed partial class FakeDiscordGateway(FakeDiscordServer server)
{
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _identifies = [];
    private readonly List<JsonObject> _resumes = [];
    private readonly List<FakeHeartbeat> _heartbeats = [];
    private Connection? _current;
    private int _connections;
    private DateTimeOffset? _lastHelloAt;

    /// <summary>heartbeat_interval sent in HELLO (default: the recorded frame's 41,250 ms).</summary>
    public int HeartbeatIntervalMs { get; set; } = 41_250;

    /// <summary>False: new connections get no HELLO (a gateway that hangs after the handshake).</summary>
    public bool SendHello { get; set; } = true;

    /// <summary>False: heartbeats go unanswered (a zombie connection, as seen from the bot).</summary>
    public bool AckHeartbeats { get; set; } = true;

    /// <summary>False: an IDENTIFY asking for MESSAGE_CONTENT is closed with 4014 (the intent is off in the portal).</summary>
    public bool MessageContentIntentEnabled { get; set; } = true;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>When the last HELLO was sent: stamped before it leaves, so nothing the bot does in answer can come earlier.</summary>
    public DateTimeOffset? LastHelloAt { get { lock (_lock) return _lastHelloAt; } }

    public IReadOnlyList<JsonObject> Identifies { get { lock (_lock) return [.. _identifies]; } }

    public IReadOnlyList<JsonObject> Resumes { get { lock (_lock) return [.. _resumes]; } }

    public IReadOnlyList<FakeHeartbeat> Heartbeats { get { lock (_lock) return [.. _heartbeats]; } }

    /// <summary>True while the newest connection is identified or resumed and receives dispatches.</summary>
    public bool IsLive { get { lock (_lock) return _current?.Live == true; } }

    /// <summary>Sends a dispatch (op 0) to its guild's shard with the shard's next sequence number; kept for replay after a resume.</summary>
    public Task<long> DispatchAsync(string type, JsonNode data) => DispatchToShardAsync(ShardOf(data), type, data);

    /// <summary>Sends a frame with any opcode (e.g. 7 RECONNECT, 9 INVALID_SESSION, 1 HEARTBEAT request).</summary>
    public Task SendOpAsync(int op, JsonNode? data = null) =>
        Current().SendAsync(new JsonObject { ["op"] = op, ["d"] = data?.DeepClone(), ["s"] = null, ["t"] = null }.ToJsonString());

    /// <summary>Closes the current connection with a close code, as Discord does.</summary>
    public async Task CloseAsync(int code, string reason = "")
    {
        var connection = Current();
        connection.Live = false;
        await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Drops the current connection without a close frame.</summary>
    public void Drop()
    {
        var connection = Current();
        connection.Live = false;
        connection.Socket.Abort();
    }

    internal async Task HandleAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new Connection(socket, Interlocked.Increment(ref _connections));
        lock (_lock)
            _current = connection;
        var hello = server.Fixture("gateway_hello.json");
        hello["d"]!["heartbeat_interval"] = HeartbeatIntervalMs;
        if (SendHello)
        {
            lock (_lock)
                _lastHelloAt = DateTimeOffset.UtcNow;
            await connection.SendAsync(hello.ToJsonString()).ConfigureAwait(false);
        }
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var frame = await ReceiveAsync(socket, context.RequestAborted).ConfigureAwait(false);
                if (frame is null)
                    break;
                await OnFrameAsync(connection, frame).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            connection.Live = false;
        }
    }

    private async Task OnFrameAsync(Connection connection, JsonObject frame)
    {
        switch (frame["op"]?.GetValue<int>())
        {
            case 1:
                lock (_lock)
                    _heartbeats.Add(new FakeHeartbeat(DateTimeOffset.UtcNow, frame["d"]?.GetValue<long?>(), connection.Number));
                if (AckHeartbeats)
                    await connection.SendAsync("{\"op\":11}").ConfigureAwait(false);
                break;
            case 2:
                await IdentifyAsync(connection, frame["d"]!.AsObject()).ConfigureAwait(false);
                break;
            case 6:
                await ResumeAsync(connection, frame["d"]!.AsObject()).ConfigureAwait(false);
                break;
            default:
                await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)4001, "Unknown opcode.", CancellationToken.None).ConfigureAwait(false);
                break;
        }
    }

    private async Task IdentifyAsync(Connection connection, JsonObject identify)
    {
        lock (_lock)
            _identifies.Add(identify);
        if (identify["token"]?.GetValue<string>() != server.Token)
        {
            await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)4004, "Authentication failed.", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var intents = identify["intents"]?.GetValue<int>() ?? 0;
        if (!MessageContentIntentEnabled && (intents & (1 << 15)) != 0)
        {
            await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)4014, "Disallowed intent(s).", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var shard = identify["shard"] is JsonArray { Count: 2 } pair ? (Id: pair[0]!.GetValue<int>(), Count: pair[1]!.GetValue<int>()) : (Id: 0, Count: 1);
        if (shard.Count < 1 || shard.Id < 0 || shard.Id >= shard.Count)
        {
            await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)4010, "Invalid shard.", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (!TryTakeIdentifySlot(shard.Id))
        {
            // Going over max_concurrency: Discord answers with an invalid session (op 9, not resumable).
            await connection.SendAsync("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}").ConfigureAwait(false);
            return;
        }

        var ready = server.Fixture("gateway_ready.json");
        var d = ready["d"]!;
        var sessionId = StartSession(connection, shard.Id, shard.Count);
        d["session_id"] = sessionId;
        d["resume_gateway_url"] = server.GatewayUri("resume").ToString();
        d["user"]!["id"] = server.BotUserId;
        d["application"]!["id"] = server.ApplicationId;
        d["shard"] = identify["shard"]?.DeepClone();
        await DispatchToShardAsync(shard.Id, "READY", d).ConfigureAwait(false);

        foreach (var guildId in GuildIds.Where(g => ShardOf(g, shard.Count) == shard.Id))
        {
            var guild = server.Fixture("gateway_guild_create.json")["d"]!.AsObject();
            guild["id"] = guildId;
            guild["roles"]!.AsArray().Add(new JsonObject
            {
                ["id"] = server.BotRoleId, ["name"] = "Bot", ["managed"] = true, ["permissions"] = "0", ["position"] = 1,
                ["tags"] = new JsonObject { ["bot_id"] = server.BotUserId },
            });
            await DispatchToShardAsync(shard.Id, "GUILD_CREATE", guild).ConfigureAwait(false);
        }
    }

    private async Task ResumeAsync(Connection connection, JsonObject resume)
    {
        lock (_lock)
            _resumes.Add(resume);
        if (TryResume(connection, resume["session_id"]?.GetValue<string>(), resume["seq"]?.GetValue<long?>() ?? 0) is not { } resumed)
        {
            await connection.SendAsync("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}").ConfigureAwait(false);
            return;
        }

        foreach (var json in resumed.Replay)
            await connection.SendAsync(json).ConfigureAwait(false);
        await DispatchToShardAsync(resumed.Shard, "RESUMED", new JsonObject()).ConfigureAwait(false);
    }

    private Connection Current()
    {
        lock (_lock)
            return _current ?? throw new InvalidOperationException("No gateway connection.");
    }

    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
                return JsonNode.Parse(Encoding.UTF8.GetString(buffer.ToArray()))?.AsObject();
        }
    }

    private sealed class Connection(WebSocket socket, int number)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Socket { get; } = socket;

        public int Number { get; } = number;

        public volatile bool Live;

        /// <summary>The shard this connection identified or resumed (-1: none yet).</summary>
        public int Shard { get; set; } = -1;

        public async Task SendAsync(string json)
        {
            await _send.WaitAsync().ConfigureAwait(false);
            try
            {
                if (Socket.State == WebSocketState.Open)
                    await Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
            }
            finally
            {
                _send.Release();
            }
        }
    }
}
