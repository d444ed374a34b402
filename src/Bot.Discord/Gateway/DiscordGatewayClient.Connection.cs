using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Bot.Discord.Gateway;

/// <summary>One WebSocket connection: its receive loop and its heartbeat, which never outlive it.</summary>
internal sealed partial class DiscordGatewayClient
{
    private const WebSocketCloseStatus ResumableClose = (WebSocketCloseStatus)4000;

    private async Task<ConnectionEnd> RunConnectionAsync(Uri url, bool resume, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await socket.ConnectAsync(url, connection.Token).ConfigureAwait(false);
        var state = new ConnectionState(socket);
        Task heartbeat = Task.CompletedTask;
        var healthy = false;
        // A server that accepts the socket but never says HELLO would hold the channel forever.
        using var hello = CancellationTokenSource.CreateLinkedTokenSource(connection.Token);
        hello.CancelAfter(options.HelloTimeout);
        try
        {
            while (true)
            {
                var frame = await ReceiveAsync(socket, state.HelloSeen ? connection.Token : hello.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    var code = (int?)socket.CloseStatus;
                    if (state.Zombie)
                        return new ConnectionEnd(ReconnectAction.Resume, null, healthy);
                    Log.GatewayClosed(logger, code, socket.CloseStatusDescription);
                    return new ConnectionEnd(GatewayCloseCodes.Action(code), code, healthy);
                }

                using var json = JsonDocument.Parse(frame);
                var root = json.RootElement;
                var op = root.GetProperty("op").GetInt32();
                switch (op)
                {
                    case GatewayOp.Hello:
                        state.HelloSeen = true;
                        var interval = TimeSpan.FromMilliseconds(root.GetProperty("d").GetProperty("heartbeat_interval").GetDouble());
                        heartbeat = HeartbeatAsync(state, interval, connection.Token);
                        if (resume)
                        {
                            await SendAsync(state, ResumePayload(), connection.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            _lastIdentify = time.GetTimestamp();
                            await SendAsync(state, IdentifyPayload(), connection.Token).ConfigureAwait(false);
                        }

                        break;
                    case GatewayOp.HeartbeatAck:
                        state.Acked = true;
                        break;
                    case GatewayOp.Heartbeat:
                        await SendHeartbeatAsync(state, connection.Token).ConfigureAwait(false);
                        break;
                    case GatewayOp.Reconnect:
                        Log.GatewayReconnectRequested(logger);
                        await CloseAsync(socket).ConfigureAwait(false);
                        return new ConnectionEnd(ReconnectAction.Resume, null, healthy, Immediate: true);
                    case GatewayOp.InvalidSession:
                        var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                        Log.GatewayInvalidSession(logger, resumable);
                        await CloseAsync(socket).ConfigureAwait(false);
                        if (resumable && _sessionId is not null)
                            return new ConnectionEnd(ReconnectAction.Resume, null, healthy, Immediate: true);
                        // Discord asks for a random 1–5 s pause before identifying again.
                        ForgetSession();
                        await Task.Delay(options.InvalidSessionDelay * (1 + (4 * Random.Shared.NextDouble())), time,
                            cancellationToken).ConfigureAwait(false);
                        return new ConnectionEnd(ReconnectAction.Identify, null, healthy, Immediate: true);
                    case GatewayOp.Dispatch:
                        if (root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number)
                        {
                            lock (_sessionLock)
                                _sequence = s.GetInt64();
                        }

                        var type = root.GetProperty("t").GetString() ?? "";
                        var data = root.GetProperty("d").Clone();
                        if (type == "READY")
                            OnReady(data);
                        if (type is "READY" or "RESUMED")
                        {
                            healthy = true;
                            Log.GatewayConnected(logger, type, _shardId, _shardCount);
                        }

                        Output.TryWrite(new GatewayDispatch(type, data, Session, s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null));
                        break;
                }
            }
        }
        catch (Exception ex) when (state.Zombie && ex is WebSocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ConnectionEnd(ReconnectAction.Resume, null, healthy);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeat.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private void OnReady(JsonElement data)
    {
        var user = data.GetProperty("user").GetProperty("id").GetString()!;
        var application = data.TryGetProperty("application", out var a) ? a.GetProperty("id").GetString()! : user;
        lock (_sessionLock)
        {
            _sessionId = data.GetProperty("session_id").GetString();
            _resumeUrl = data.TryGetProperty("resume_gateway_url", out var r) ? r.GetString() : _gatewayUrl;
            Session = new GatewaySession(_sessionId!, _resumeUrl!, user, application);
        }
    }

    // The first beat after interval × random(0..1), then one per interval. A beat that finds the previous one
    // unacknowledged closes the connection as a zombie (with a code that keeps the session resumable).
    private async Task HeartbeatAsync(ConnectionState state, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(interval * Random.Shared.NextDouble(), time, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!state.Acked)
                {
                    Log.GatewayZombie(logger, interval);
                    state.Zombie = true;
                    state.Socket.Abort();
                    return;
                }

                await SendHeartbeatAsync(state, cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private Task SendHeartbeatAsync(ConnectionState state, CancellationToken cancellationToken)
    {
        state.Acked = false;
        return SendAsync(state, new JsonObject { ["op"] = GatewayOp.Heartbeat, ["d"] = _sequence }, cancellationToken);
    }

    private static async Task SendAsync(ConnectionState state, JsonObject payload, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        await state.SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await state.Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.SendLock.Release();
        }
    }

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            buffer.Advance(result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    // 4000 rather than 1000/1001: a normal close would end the session that the next connection resumes.
    private static async Task CloseAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(ResumableClose, "reconnecting", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private sealed class ConnectionState(ClientWebSocket socket)
    {
        public ClientWebSocket Socket { get; } = socket;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public volatile bool Acked = true;

        public volatile bool Zombie;

        public bool HelloSeen;
    }
}
