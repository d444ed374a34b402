using System.Text.Json;
using System.Threading.Channels;
using Bot.Core.Infrastructure;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Web.Threads;

/// <summary>
/// One web conversation in memory: its transcript (kept in the store, <see cref="IWebTranscripts"/>), the pages watching
/// it, whether a turn is running, the current tool status and the statuses the turn has shown. Every change is pushed to
/// the watchers in order, and through the <see cref="WebEventRelay"/> to the copies of this thread on other instances,
/// which apply it as their own (WebThread.Remote.cs). An empty thread nobody watches can be retired, so the store does
/// not keep it in memory.
/// </summary>
internal sealed partial class WebThread
{
    private static readonly TimeSpan s_saveDelay = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private readonly List<WebMessage> _messages;
    private readonly List<Channel<WebEvent>> _watchers = [];
    private readonly List<string> _steps = [];
    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private readonly ILogger _logger;
    private readonly IWebTranscripts _transcripts;
    private readonly WebEventRelay _relay;
    // Messages changed here and not saved yet; messages another instance changed are saved by that instance.
    private readonly HashSet<string> _unsaved = new(StringComparer.Ordinal);
    private int _pending;
    private int _saveScheduled;
    private volatile bool _deleted;
    private bool _retired;
    private string? _status;

    public WebThread(string id, string directory, List<WebMessage> messages, IWebTranscripts transcripts, WebEventRelay relay, ILogger logger)
    {
        Id = id;
        Directory = directory;
        _messages = messages;
        _transcripts = transcripts;
        _relay = relay;
        _logger = logger;
    }

    public string Id { get; }

    public string Directory { get; }

    public string FilesDirectory => Path.Combine(Directory, "files");

    public string UploadsDirectory => Path.Combine(Directory, "uploads");

    // Where an earlier version kept the transcript; read once and moved into the store.
    private string LegacyTranscriptPath => Path.Combine(Directory, "transcript.json");

    /// <summary>True once <see cref="TryRetire"/> succeeded: the store has forgotten this instance.</summary>
    public bool IsRetired
    {
        get
        {
            lock (_lock)
                return _retired;
        }
    }

    public ThreadSnapshot Snapshot()
    {
        lock (_lock)
            return SnapshotLocked();
    }

    /// <summary>
    /// Starts watching: the state as it is now, then every later change on <paramref name="watcher"/>. Null when the
    /// thread was retired meanwhile; the caller then gets the thread from the store again.
    /// </summary>
    public ThreadSnapshot? TryWatch(Channel<WebEvent> watcher)
    {
        lock (_lock)
        {
            if (_retired)
                return null;
            _watchers.Add(watcher);
            return SnapshotLocked();
        }
    }

    public void Unwatch(Channel<WebEvent> watcher)
    {
        lock (_lock)
            _watchers.Remove(watcher);
    }

    public WebMessage? Find(string id)
    {
        lock (_lock)
            return _messages.Find(m => m.Id == id);
    }

    public WebFile? FindFile(string fileId)
    {
        lock (_lock)
            return _messages.SelectMany(m => m.Preview is { } preview ? [.. m.Files, preview] : m.Files).FirstOrDefault(f => f.Id == fileId);
    }

    /// <summary>Adds a message or replaces the one with the same id, tells the watchers and saves soon.</summary>
    public void Upsert(WebMessage message)
    {
        lock (_lock)
            UpsertLocked(message);
        ScheduleSave();
    }

    /// <summary>
    /// Adds the visitor's message and counts its turn as queued, in one step, unless the thread was retired (then the
    /// caller gets the thread from the store again and tries there).
    /// </summary>
    public bool TryAdmit(WebMessage message)
    {
        lock (_lock)
        {
            if (_retired)
                return false;
            UpsertLocked(message);
            TurnQueuedLocked();
        }

        ScheduleSave();
        return true;
    }

    /// <summary>Retires the thread if it holds nothing (no message, watcher or turn), so the store can forget it.</summary>
    public bool TryRetire()
    {
        lock (_lock)
        {
            if (_retired || _messages.Count > 0 || _watchers.Count > 0 || _pending > 0 || RunningElsewhere)
                return _retired;
            _retired = true;
            return true;
        }
    }

    /// <summary>
    /// Shows or clears the tool status. Every status shown is also kept with the turn (<see cref="ThreadSnapshot.Steps"/>,
    /// the <c>done</c> event), so a page that connects late, or looks after a status was quickly replaced, still sees it.
    /// </summary>
    public void SetStatus(string? status)
    {
        lock (_lock)
        {
            if (_status == status)
                return;
            _status = status;
            if (status is not null && !_steps.Contains(status))
                _steps.Add(status);
            Publish("status", new { text = status });
        }
    }

    public void TurnEnded(TurnStatus status)
    {
        lock (_lock)
        {
            _pending = Math.Max(0, _pending - 1);
            if (_pending == 0 && !RunningElsewhere)
                _status = null;
            // queued: this instance's own count, for the other instances' copies (WebThread.Remote.cs).
            Publish("done", new { status = status.ToString(), running = _pending > 0 || RunningElsewhere, steps = _steps.ToArray(), queued = _pending });
        }
    }

    /// <summary>Tells the watchers that the visitor moved on to another thread (New conversation in another tab).</summary>
    public void Replaced(string newThread)
    {
        lock (_lock)
            Publish("reset", new { thread = newThread });
    }

    /// <summary>Marks the thread as forgotten: late writes of a stopped turn no longer recreate its folder.</summary>
    public void MarkDeleted() => _deleted = true;

    /// <summary>Saves the messages changed here since the last save to the store.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        await _saveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_deleted)
                return;
            List<WebTranscriptRow> rows;
            lock (_lock)
            {
                // A partial image belongs to a drawing in progress: a transcript read after a restart must not show it.
                rows = [.. _messages.Where(m => _unsaved.Contains(m.Id))
                    .Select(m => new WebTranscriptRow(m.Id, JsonSerializer.Serialize(m.Preview is null ? m : m with { Preview = null }, WebJson.Options)))];
                _unsaved.Clear();
            }

            try
            {
                await _transcripts.SaveWebMessagesAsync(Id, rows, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.TranscriptSaveFailed(_logger, Id, ex);
                lock (_lock)
                    _unsaved.UnionWith(rows.Select(r => r.MessageId));
            }
        }
        finally
        {
            _saveGate.Release();
        }
    }

    /// <summary>
    /// The thread's transcript from the store. A transcript an earlier version kept in the thread's folder is moved into
    /// the store the first time it is read.
    /// </summary>
    public static async Task<List<WebMessage>> LoadAsync(IWebTranscripts transcripts, string directory, string id, ILogger logger,
        CancellationToken cancellationToken)
    {
        var rows = await transcripts.GetWebMessagesAsync(id, cancellationToken).ConfigureAwait(false);
        var messages = new List<WebMessage>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                if (JsonSerializer.Deserialize<WebMessage>(row.Json, WebJson.Options) is { } message)
                    messages.Add(message);
            }
            catch (JsonException ex)
            {
                Log.TranscriptLoadFailed(logger, id, ex);
            }
        }

        return messages.Count > 0 ? messages : await ImportLegacyAsync(transcripts, directory, id, logger, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<WebMessage>> ImportLegacyAsync(IWebTranscripts transcripts, string directory, string id, ILogger logger,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "transcript.json");
        if (!File.Exists(path))
            return [];
        List<WebMessage> messages;
        try
        {
            await using (var stream = File.OpenRead(path))
                messages = await JsonSerializer.DeserializeAsync<List<WebMessage>>(stream, WebJson.Options, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            Log.TranscriptLoadFailed(logger, id, ex);
            return [];
        }

        await transcripts.SaveWebMessagesAsync(id, [.. messages.Select(m => new WebTranscriptRow(m.Id, JsonSerializer.Serialize(m, WebJson.Options)))],
            DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        File.Delete(path);
        return messages;
    }

    // Streaming answers change many times a second; the file is written at most every half second.
    private void ScheduleSave()
    {
        if (Interlocked.Exchange(ref _saveScheduled, 1) == 1)
            return;
        BackgroundWork.Run(async () =>
        {
            await Task.Delay(s_saveDelay).ConfigureAwait(false);
            Interlocked.Exchange(ref _saveScheduled, 0);
            await SaveAsync().ConfigureAwait(false);
        }, _logger, $"saving web thread {Id}");
    }

    private ThreadSnapshot SnapshotLocked() => new(Id, _pending > 0 || RunningElsewhere, _status, [.. _messages], [.. _steps], OpenApprovalsLocked());

    private void UpsertLocked(WebMessage message)
    {
        _unsaved.Add(message.Id);
        ReplaceLocked(message);
    }

    private void ReplaceLocked(WebMessage message, bool relayed = false)
    {
        var index = _messages.FindIndex(m => m.Id == message.Id);
        if (index < 0)
            _messages.Add(message);
        else
            _messages[index] = message;
        Publish("message", message, relayed);
    }

    // A turn queued on an idle thread starts a new list of steps.
    private void TurnQueuedLocked()
    {
        if (_pending == 0 && !RunningElsewhere)
            _steps.Clear();
        _pending++;
        Publish("state", new { running = true, status = _status, queued = _pending });
    }

    // To this instance's watchers, and (unless it came from there) to the other instances.
    private void Publish(string type, object data, bool relayed = false)
    {
        var item = new WebEvent(type, data);
        foreach (var watcher in _watchers)
            watcher.Writer.TryWrite(item);
        if (!relayed)
            _relay.Send(Id, item);
    }
}
