using System.Text.Json;
using System.Threading.Channels;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Web.Threads;

/// <summary>
/// Carries the live events of web threads between the instances on one store, so that a page connected to one instance
/// sees the answer of a turn another instance runs. Every event a thread shows here is added to the store's event log
/// (in order, by one writer); every instance reads the log after the last event it read and applies the other instances'
/// events to its copies of the threads it has in memory (a thread it has not loaded is read from the store when needed).
/// It reads every <see cref="WebChatOptions.EventPollInterval"/>, and at once when the store notifies that events were
/// added (PostgreSQL). Events older than two minutes are pruned.
/// </summary>
internal sealed class WebEventRelay(IWebTranscripts transcripts, IStoreNotifications notifications, IOptions<WebChatOptions> options,
    TimeProvider time, ILogger<WebEventRelay> logger) : IAsyncDisposable
{
    /// <summary>The notification channel on which instances say they added events.</summary>
    public const string NotificationChannel = "bot_web_events";

    private const int ReadBatch = 500;
    // Other instances read within a poll interval; two minutes cover a stalled reader, and a streaming answer writes its
    // whole text with every change, so the log is kept short.
    private static readonly TimeSpan s_keep = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_pruneEvery = TimeSpan.FromSeconds(30);

    private readonly Channel<(string Thread, string Type, string Json)> _outbox =
        Channel.CreateUnbounded<(string, string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    // This process's events, told apart from other instances' (an instance id may be configured twice by mistake).
    private readonly string _origin = WebThreadStore.NewId(8);
    private Func<string, WebThread?> _find = _ => null;
    private Action<string> _forget = _ => { };
    private IDisposable? _subscription;
    private Task? _writing;
    private Task? _reading;
    private long _cursor;

    /// <summary>
    /// How a thread this instance has in memory is found, and how one that a visitor replaced on another instance (New
    /// conversation) is forgotten here: the thread store, which also makes the threads.
    /// </summary>
    public void Attach(Func<string, WebThread?> find, Action<string> forget)
    {
        _find = find;
        _forget = forget;
    }

    /// <summary>Queues an event this instance showed on a thread for the other instances. Never blocks.</summary>
    public void Send(string threadId, WebEvent item) =>
        _outbox.Writer.TryWrite((threadId, item.Type, JsonSerializer.Serialize(item.Data, item.Data.GetType(), WebJson.Options)));

    /// <summary>Starts after the newest event in the store (older ones are already in the transcripts) and runs until stopped.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _cursor = await transcripts.GetLastWebEventIdAsync(cancellationToken).ConfigureAwait(false);
        _subscription = notifications.Subscribe(NotificationChannel, _ => Nudge());
        _writing = Task.Run(() => WriteAsync(_stopping.Token), CancellationToken.None);
        _reading = Task.Run(() => ReadAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Writes what is queued (until <paramref name="cancellationToken"/>), then stops reading.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _outbox.Writer.TryComplete();
        if (_writing is not null)
            await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_reading is not null)
            await _reading.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _outbox.Writer.TryComplete();
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        if (_writing is not null)
            await _writing.ConfigureAwait(false);
        if (_reading is not null)
            await _reading.ConfigureAwait(false);
        _stopping.Dispose();
        _nudge.Dispose();
    }

    private void Nudge()
    {
        try
        {
            if (_nudge.CurrentCount == 0)
                _nudge.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already nudged, or stopped.
        }
    }

    // One writer, so events reach the store in the order they happened; the others are told once per batch.
    private async Task WriteAsync(CancellationToken stopping)
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                var added = 0;
                while (reader.TryRead(out var item))
                {
                    try
                    {
                        await transcripts.AddWebEventAsync(item.Thread, _origin, item.Type, item.Json, time.GetUtcNow(), stopping).ConfigureAwait(false);
                        added++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                    {
                        Log.RelayWriteFailed(logger, 1, ex);
                    }
                }

                if (added > 0 && notifications.IsSupported)
                {
                    try
                    {
                        await notifications.PublishAsync(NotificationChannel, "", stopping).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                    {
                        // The other instances read at their next poll.
                        Log.RelayWriteFailed(logger, 0, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ReadAsync(CancellationToken stopping)
    {
        var interval = options.Value.EventPollInterval;
        var nextPrune = time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _nudge.WaitAsync(interval, stopping).ConfigureAwait(false);
                await ReadNewAsync(stopping).ConfigureAwait(false);
                if (time.GetUtcNow() >= nextPrune)
                {
                    nextPrune = time.GetUtcNow() + s_pruneEvery;
                    await transcripts.PruneWebEventsAsync(time.GetUtcNow() - s_keep, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.RelayReadFailed(logger, ex);
            }
        }
    }

    private async Task ReadNewAsync(CancellationToken stopping)
    {
        IReadOnlyList<WebThreadEvent> events;
        do
        {
            events = await transcripts.GetWebEventsAsync(_cursor, ReadBatch, stopping).ConfigureAwait(false);
            foreach (var item in events)
            {
                _cursor = item.Id;
                if (item.OriginInstanceId == _origin)
                    continue;
                if (_find(item.ThreadId) is { } thread)
                    thread.ApplyRemote(item.OriginInstanceId, item.Type, item.Json);
                if (item.Type == "reset")
                    _forget(item.ThreadId);
            }
        }
        while (events.Count == ReadBatch);
    }
}
