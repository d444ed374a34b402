using System.Net;
using System.Net.Sockets;

namespace Bot.Testing.Postgres;

/// <summary>
/// A loopback TCP forwarder in front of a server (the throwaway PostgreSQL) that a test can close: <see cref="Close"/>
/// resets every connection through it and refuses new ones (the port stays bound but nothing accepts, and each
/// connection that arrives meanwhile is reset at once), as a database behind a failed network would look; <see cref="Open"/>
/// lets connections through again. Only the bot under test connects through the gate, so other tests on the same
/// cluster are unaffected.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private volatile bool _closed;

    private TcpGate(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The gate's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>True while the gate refuses connections.</summary>
    public bool IsClosed => _closed;

    /// <summary>A gate in front of 127.0.0.1:<paramref name="targetPort"/>, open.</summary>
    public static TcpGate Start(int targetPort) => new(targetPort);

    /// <summary>Resets every connection through the gate and refuses new ones until <see cref="Open"/>.</summary>
    public void Close()
    {
        _closed = true;
        List<TcpClient> open;
        lock (_lock)
        {
            open = [.. _connections];
            _connections.Clear();
        }

        foreach (var connection in open)
            Reset(connection);
    }

    /// <summary>Lets connections through again.</summary>
    public void Open() => _closed = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Close();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_closed)
            {
                Reset(client);
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            Reset(client);
            server.Dispose();
            return;
        }

        lock (_lock)
        {
            _connections.Add(client);
            _connections.Add(server);
        }

        if (_closed)
        {
            Close();
            return;
        }

        var up = PumpAsync(client, server);
        var down = PumpAsync(server, client);
        await Task.WhenAny(up, down);
        Reset(client);
        Reset(server);
        lock (_lock)
        {
            _connections.Remove(client);
            _connections.Remove(server);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0 || _closed)
                    return;
                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    // A reset (RST), not a polite close: the driver sees the connection fail, as when the network between fails.
    private static void Reset(TcpClient client)
    {
        try
        {
            // Null once the connection was reset and disposed already (both ends of a pair are reset by either side).
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        client.Dispose();
    }
}
