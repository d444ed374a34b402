using Bot.Core.Attachments;
using Bot.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Replies;

/// <summary>
/// Pushes a turn's growing <see cref="ReplyState"/> to a channel: the first text appears at once, later states no
/// faster than the channel's edit interval, at most one write in flight, always the latest state (intermediate ones
/// are skipped). Each state is laid out by the channel's presenter and split at its length limit, so past the limit
/// the reply continues in new messages. The final state is always delivered, also after failed edits.
/// </summary>
public sealed partial class ProgressiveReply : IAsyncDisposable
{
    private static readonly TimeSpan s_typingRefresh = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(500);

    private readonly IReplyWriter _writer;
    private readonly ReplyState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _delivery;
    private readonly CancellationTokenSource _stopPump;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly List<PostedMessage> _messages = [];
    private Task _pump = Task.CompletedTask;
    private Task _typing = Task.CompletedTask;
    private int _pending;
    private ToolStatus? _shownStatus;
    private volatile bool _ended;
    private volatile bool _posted;
    private volatile bool _written;

    /// <param name="writer">The channel's transport (and presenter) for this reply.</param>
    /// <param name="state">The turn's reply state; read only, by taking snapshots when a write is about to happen.</param>
    /// <param name="time">The clock for pacing.</param>
    /// <param name="logger">Where failed writes are logged.</param>
    /// <param name="deliveryToken">Stops delivery (host shutdown); the turn's own cancellation must not stop the final write.</param>
    public ProgressiveReply(IReplyWriter writer, ReplyState state, TimeProvider time, ILogger logger, CancellationToken deliveryToken = default)
    {
        _writer = writer;
        _state = state;
        _time = time;
        _logger = logger;
        _delivery = deliveryToken;
        _stopPump = CancellationTokenSource.CreateLinkedTokenSource(deliveryToken);
    }

    /// <summary>The turn's telemetry: writes by channel, the time to first visible text, a span per write.</summary>
    internal TurnTelemetry? Telemetry { get; init; }

    /// <summary>
    /// Called after each post or edit that succeeded, with the ids of the reply's messages so far (the turn stores them with
    /// its resume point). Runs inside the write loop: it must be quick and must not throw.
    /// </summary>
    internal Func<IReadOnlyList<string>, Task>? Written { get; init; }

    /// <summary>Starts the typing indicator and the write loop.</summary>
    public void Start()
    {
        _pump = Task.Run(PumpAsync);
        _typing = Task.Run(TypingAsync);
    }

    /// <summary>Says that the state changed; the write loop picks up the latest state when it may write.</summary>
    public void Invalidate()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
            _signal.Release();
    }

    /// <summary>
    /// Stops the live updates and delivers the state as it is now, which the turn has finished: every message's final
    /// text, a note for each file over the channel's upload limit, then the files; then tells the writer the reply is complete.
    /// </summary>
    public async Task CompleteAsync()
    {
        await StopLiveUpdatesAsync().ConfigureAwait(false);

        var final = WithinUploadLimit(_state.Snapshot());
        if (_shownStatus is not null && !_ended)
            await TryAsync(() => _writer.ShowStatusAsync(null, _delivery)).ConfigureAwait(false);

        var texts = Layout(final);
        for (var i = 0; i < texts.Count && !_ended; i++)
            await DeliverFinalAsync(i, new ReplyMessage(texts[i], i, final)).ConfigureAwait(false);

        if (final.Files.Count > 0 && !_ended && !await TryAsync(() => _writer.SendFilesAsync(final.Files, _delivery), attempts: 2).ConfigureAwait(false))
        {
            var note = new ReplyMessage("⚠️ I couldn't upload the generated files here.", _messages.Count, final);
            await TryAsync(() => _writer.PostAsync(note, _delivery)).ConfigureAwait(false);
        }

        await TryAsync(() => _writer.CompleteAsync(final, _delivery), attempts: 2).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a one-off final reply (a restart's notice) at once: laid out, split, posted, completed. Failures are the caller's.
    /// </summary>
    public static async Task SendOnceAsync(IReplyWriter writer, ReplySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var texts = Layout(writer, snapshot);
        for (var i = 0; i < texts.Count; i++)
        {
            if ((await writer.PostAsync(new ReplyMessage(texts[i], i, snapshot), cancellationToken).ConfigureAwait(false)).Ended)
                break;
        }

        await writer.CompleteAsync(snapshot, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopLiveUpdatesAsync().ConfigureAwait(false);
        _stopPump.Dispose();
        _signal.Dispose();
    }

    // Files over the channel's upload limit stay behind, each named in a note of the final state.
    private ReplySnapshot WithinUploadLimit(ReplySnapshot final)
    {
        var limit = _writer.Limits.MaxUploadBytes;
        if (final.Files.All(f => f.Length <= limit))
            return final;
        var notes = final.Files.Where(f => f.Length > limit).Select(file =>
            $"📎 {file.FileName} ({AttachmentPolicy.FormatSize(file.Length)}) is larger than this channel's {AttachmentPolicy.FormatSize(limit)} upload limit, so it is not attached.");
        return final with { Files = [.. final.Files.Where(f => f.Length <= limit)], FileNotes = [.. final.FileNotes, .. notes] };
    }

    private async Task StopLiveUpdatesAsync()
    {
        if (!_stopPump.IsCancellationRequested)
            await _stopPump.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pump, _typing).ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        try
        {
            while (!_ended)
            {
                await _signal.WaitAsync(_stopPump.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref _pending, 0);
                await WriteLatestAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopPump.IsCancellationRequested)
        {
        }
    }

    // Writes until the channel shows the latest state, one write at a time, pacing edits per message.
    private async Task WriteLatestAsync()
    {
        while (!_stopPump.IsCancellationRequested && !_ended)
        {
            var snapshot = _state.Snapshot();
            var presentation = _writer.Presenter.Present(snapshot);
            if (presentation.Status != _shownStatus)
            {
                _shownStatus = presentation.Status;
                var status = presentation.Status;
                await TryAsync(() => _writer.ShowStatusAsync(status, _delivery)).ConfigureAwait(false);
            }

            await ShowPreviewAsync(presentation.Preview).ConfigureAwait(false);
            var texts = Layout(presentation, _writer.Limits);
            var index = FirstDifference(texts);
            if (index < 0)
                return;

            var wait = WaitBeforeWriting(index);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, _stopPump.Token).ConfigureAwait(false);
                continue; // take the state as it is after the wait
            }

            // A write that started is allowed to finish (stopping the loop only ends its waits), so that the
            // final state never races a half-sent edit.
            if (!await WriteAsync(new ReplyMessage(texts[index], index, snapshot), _delivery).ConfigureAwait(false))
                await Task.Delay(Max(s_retryDelay, _writer.Limits.MinEditInterval), _time, _stopPump.Token).ConfigureAwait(false);
        }
    }

    private async Task TypingAsync()
    {
        try
        {
            while (!_posted && !_ended)
            {
                await TryAsync(() => _writer.StartTypingAsync(_stopPump.Token)).ConfigureAwait(false);
                await Task.Delay(s_typingRefresh, _time, _stopPump.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopPump.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryAsync(Func<Task> action, int attempts = 1)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action().ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (_delivery.IsCancellationRequested || _stopPump.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                Log.WriteFailed(_logger, -1, ex);
                if (attempt >= attempts)
                    return false;
            }
        }
    }

    private IReadOnlyList<string> Layout(ReplySnapshot snapshot) => Layout(_writer, snapshot);

    private static IReadOnlyList<string> Layout(IReplyWriter writer, ReplySnapshot snapshot) =>
        Layout(writer.Presenter.Present(snapshot), writer.Limits);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record PostedMessage(string Id, string Text, DateTimeOffset LastWrite);
}
