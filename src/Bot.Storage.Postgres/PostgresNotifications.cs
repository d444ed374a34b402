using System.Text.RegularExpressions;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// <see cref="IStoreNotifications"/> on PostgreSQL <c>LISTEN/NOTIFY</c>. One dedicated connection per process listens
/// (application name <c>bot-listener</c>, so an operator can tell it apart); it starts with the first subscriber, and
/// when it is lost (a restarted server, <c>pg_terminate_backend</c>) it reconnects with a growing delay, listens again and
/// tells every subscriber that it may have missed notifications. Publishing takes a pooled connection of its own.
/// </summary>
public sealed partial class PostgresNotifications : IStoreNotifications, IAsyncDisposable, IDisposable
{
    /// <summary>The application name of the listening connection.</summary>
    public const string ListenerApplicationName = "bot-listener";

    private static readonly TimeSpan s_waitSlice = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Action<string>>> _handlers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly NpgsqlDataSource _publisher;
    private readonly string _listenerConnectionString;
    private readonly string _database;
    private readonly ILogger<PostgresNotifications> _logger;
    private Task? _listening;
    private int _connections;

    public PostgresNotifications(IOptions<PostgresStoreOptions> options, ILogger<PostgresNotifications> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        _database = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _publisher = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { MaxPoolSize = 4 });
        // Its own connection, outside every pool; keepalives notice a silently dropped connection.
        _listenerConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Pooling = false,
            ApplicationName = ListenerApplicationName,
            KeepAlive = 15,
        }.ConnectionString;
    }

    public bool IsSupported => true;

    /// <summary>How many times the listener has (re)connected, for tests of the reconnection.</summary>
    internal int Connections => Volatile.Read(ref _connections);

    public async Task PublishAsync(string channel, string payload, CancellationToken cancellationToken = default)
    {
        CheckChannel(channel);
        var connection = await _publisher.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload);", connection);
            command.Parameters.AddWithValue("channel", channel);
            command.Parameters.AddWithValue("payload", payload);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public IDisposable Subscribe(string channel, Action<string> handler)
    {
        CheckChannel(channel);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            if (!_handlers.TryGetValue(channel, out var list))
                _handlers[channel] = list = [];
            list.Add(handler);
            _listening ??= Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        }

        return new Subscription(this, channel, handler);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listening is not null)
            await _listening.ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening without waiting for the listener to close its connection (prefer <see cref="DisposeAsync"/>).</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        _publisher.Dispose();
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var reconnected = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var connection = new NpgsqlConnection(_listenerConnectionString);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                    await connection.OpenAsync(stopping).ConfigureAwait(false);
                    var listened = new HashSet<string>(StringComparer.Ordinal);
                    await ListenToNewAsync(connection, listened, stopping).ConfigureAwait(false);
                    Interlocked.Increment(ref _connections);
                    Log.ListenerConnected(_logger, _database, string.Join(", ", listened));
                    delay = TimeSpan.FromMilliseconds(100);
                    if (reconnected)
                        DispatchAll("");
                    reconnected = true;
                    while (!stopping.IsCancellationRequested)
                    {
                        // A short wait at a time: a channel subscribed meanwhile is listened to at the next slice.
                        await connection.WaitAsync(s_waitSlice, stopping).ConfigureAwait(false);
                        await ListenToNewAsync(connection, listened, stopping).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                Log.ListenerLost(_logger, _database, delay, ex);
                try
                {
                    await Task.Delay(delay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
            }
        }
    }

    private async Task ListenToNewAsync(NpgsqlConnection connection, HashSet<string> listened, CancellationToken cancellationToken)
    {
        string[] channels;
        lock (_lock)
            channels = [.. _handlers.Keys.Where(c => !listened.Contains(c))];
        foreach (var channel in channels)
        {
            // LISTEN takes no parameters; the channel name was checked to be a plain identifier.
            await using var command = new NpgsqlCommand($"LISTEN \"{channel}\";", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            listened.Add(channel);
        }
    }

    private void Dispatch(string channel, string payload)
    {
        Action<string>[] handlers;
        lock (_lock)
            handlers = _handlers.TryGetValue(channel, out var list) ? [.. list] : [];
        foreach (var handler in handlers)
        {
            try
            {
                handler(payload);
            }
            catch (Exception ex)
            {
                // A subscriber's fault must not cost the others their notifications (nor the connection).
                Log.SubscriberFailed(_logger, channel, ex);
            }
        }
    }

    private void DispatchAll(string payload)
    {
        string[] channels;
        lock (_lock)
            channels = [.. _handlers.Keys];
        foreach (var channel in channels)
            Dispatch(channel, payload);
    }

    private void Unsubscribe(string channel, Action<string> handler)
    {
        lock (_lock)
        {
            if (_handlers.TryGetValue(channel, out var list))
                list.Remove(handler);
        }
    }

    private static void CheckChannel(string channel)
    {
        if (!ChannelPattern().IsMatch(channel))
            throw new ArgumentException("A notification channel is a lowercase identifier of at most 63 characters.", nameof(channel));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex ChannelPattern();

    private sealed class Subscription(PostgresNotifications owner, string channel, Action<string> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(channel, handler);
    }
}
