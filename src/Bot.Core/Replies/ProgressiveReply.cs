using Bot.Core.Attachments;
using Bot.Core.Channels;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Replies;

/// <summary>
/// Pushes a growing reply to a channel: the first text appears at once, later states no faster than
/// the channel's edit interval, at most one write in flight, always the latest state (intermediate
/// ones are skipped). Past the length limit the reply continues in new messages. The final state is
/// always delivered, also after failed edits.
/// </summary>
public sealed class ProgressiveReply : IAsyncDisposable
{
    private static readonly TimeSpan s_typingRefresh = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(500);

    private readonly IReplyWriter _writer;
    private readonly Func<ReplyView> _snapshot;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _delivery;
    private readonly CancellationTokenSource _stopPump;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly List<PostedMessage> _messages = [];
    private Task _pump = Task.CompletedTask;
    private Task _typing = Task.CompletedTask;
    private int _pending;
    private string? _shownStatus;

    /// <param name="writer">The channel's writer for this reply.</param>
    /// <param name="snapshot">Renders the reply's current state; called only when a write is about to happen.</param>
    /// <param name="time">The clock for pacing.</param>
    /// <param name="logger">Where failed writes are logged.</param>
    /// <param name="deliveryToken">Stops delivery (host shutdown); the turn's own cancellation must not stop the final write.</param>
    public ProgressiveReply(IReplyWriter writer, Func<ReplyView> snapshot, TimeProvider time, ILogger logger,
        CancellationToken deliveryToken = default)
    {
        _writer = writer;
        _snapshot = snapshot;
        _time = time;
        _logger = logger;
        _delivery = deliveryToken;
        _stopPump = CancellationTokenSource.CreateLinkedTokenSource(deliveryToken);
    }

    /// <summary>Starts the typing indicator and the write loop.</summary>
    public void Start()
    {
        _pump = Task.Run(PumpAsync);
        _typing = Task.Run(TypingAsync);
    }

    /// <summary>Says that the reply changed; the write loop picks up the latest state when it may write.</summary>
    public void Invalidate()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
            _signal.Release();
    }

    /// <summary>
    /// Stops the live updates and delivers the final state: every message's final text, a note for
    /// each file over the channel's upload limit, then the files; then tells the writer the reply is complete.
    /// </summary>
    public async Task CompleteAsync(ReplyView final, IReadOnlyList<OutputFile> files)
    {
        await StopLiveUpdatesAsync().ConfigureAwait(false);

        var limit = _writer.Limits.MaxUploadBytes;
        var deliverable = files.Where(f => f.Length <= limit).ToList();
        var body = final.Body;
        foreach (var file in files.Where(f => f.Length > limit))
            body += $"\n\n📎 {file.FileName} ({AttachmentPolicy.FormatSize(file.Length)}) is larger than this channel's {AttachmentPolicy.FormatSize(limit)} upload limit, so it is not attached.";

        if (_writer.Limits.AppendOnly && _shownStatus is not null)
            await TryAsync(() => _writer.ShowStatusAsync(null, _delivery)).ConfigureAwait(false);

        var texts = ReplyLayout.Messages(new ReplyView(body, null), _writer.Limits);
        for (var i = 0; i < texts.Count; i++)
            await DeliverFinalAsync(i, texts[i]).ConfigureAwait(false);

        if (deliverable.Count > 0 && !await TryAsync(() => _writer.SendFilesAsync(deliverable, _delivery), attempts: 2).ConfigureAwait(false))
            await TryAsync(() => _writer.PostAsync("⚠️ I couldn't upload the generated files here.", _delivery)).ConfigureAwait(false);

        await TryAsync(() => _writer.CompleteAsync(_delivery), attempts: 2).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopLiveUpdatesAsync().ConfigureAwait(false);
        _stopPump.Dispose();
        _signal.Dispose();
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
            while (true)
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
        while (!_stopPump.IsCancellationRequested)
        {
            var view = _snapshot();
            if (_writer.Limits.AppendOnly && view.Status != _shownStatus)
            {
                _shownStatus = view.Status;
                await TryAsync(() => _writer.ShowStatusAsync(view.Status, _delivery)).ConfigureAwait(false);
            }

            var texts = ReplyLayout.Messages(view, _writer.Limits);
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
            if (!await WriteAsync(index, texts[index], _delivery).ConfigureAwait(false))
                await Task.Delay(Max(s_retryDelay, _writer.Limits.MinEditInterval), _time, _stopPump.Token).ConfigureAwait(false);
        }
    }

    private async Task DeliverFinalAsync(int index, string text)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            if (index < _messages.Count && _messages[index].Text == text)
                return;
            // Timers may fire a few milliseconds early (the coarse monotonic clock): wait until it is really time.
            for (var wait = WaitBeforeWriting(index); wait > TimeSpan.Zero; wait = WaitBeforeWriting(index))
                await Task.Delay(wait, _time, _delivery).ConfigureAwait(false);
            if (await WriteAsync(index, text, _delivery).ConfigureAwait(false))
                return;
            await Task.Delay(s_retryDelay * attempt, _time, _delivery).ConfigureAwait(false);
        }

        // Edits keep failing (the message may be gone): post the final text as a new message instead.
        if (index < _messages.Count && await TryAsync(async () =>
            {
                var id = await _writer.PostAsync(text, _delivery).ConfigureAwait(false);
                _messages[index] = new PostedMessage(id, text, _time.GetUtcNow());
            }, attempts: 2).ConfigureAwait(false))
        {
            return;
        }

        Log.FinalDeliveryFailed(_logger, index);
    }

    // One post or edit. Returns false when it failed (already logged).
    private async Task<bool> WriteAsync(int index, string text, CancellationToken cancellationToken)
    {
        try
        {
            if (index < _messages.Count)
            {
                await _writer.EditAsync(_messages[index].Id, text, cancellationToken).ConfigureAwait(false);
                _messages[index] = _messages[index] with { Text = text, LastWrite = _time.GetUtcNow() };
            }
            else
            {
                var id = await _writer.PostAsync(text, cancellationToken).ConfigureAwait(false);
                _messages.Add(new PostedMessage(id, text, _time.GetUtcNow()));
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.WriteFailed(_logger, index, ex);
            return false;
        }
    }

    // Index of the first message whose shown text differs from `texts`, or -1. Messages beyond the
    // new layout (which only happens if the text shrank) are left as they are.
    private int FirstDifference(IReadOnlyList<string> texts)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            if (i >= _messages.Count || _messages[i].Text != texts[i])
                return i;
        }

        return -1;
    }

    private TimeSpan WaitBeforeWriting(int index) => index >= _messages.Count
        ? TimeSpan.Zero
        : _messages[index].LastWrite + _writer.Limits.MinEditInterval - _time.GetUtcNow();

    private async Task TypingAsync()
    {
        try
        {
            while (_messages.Count == 0)
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

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record PostedMessage(string Id, string Text, DateTimeOffset LastWrite);
}
