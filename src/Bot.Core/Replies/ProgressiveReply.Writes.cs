using Bot.Core.Channels;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Replies;

/// <summary>The writes of a progressive reply: one post or edit at a time, the final text, and messages adopted from an earlier process.</summary>
public sealed partial class ProgressiveReply
{
    // Never equal to a laid-out text, so that the first write of an adopted message always edits it.
    private const string UnknownText = "\0";

    /// <summary>
    /// Takes over the messages an earlier process posted for this reply (a turn finished after a restart or a takeover):
    /// the first write edits message 0 instead of posting, continuations likewise; only messages beyond them are posted.
    /// Call before <see cref="Start"/>.
    /// </summary>
    public void Adopt(IReadOnlyList<string> messageIds)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
            return;
        foreach (var id in messageIds)
            _messages.Add(new PostedMessage(id, UnknownText, DateTimeOffset.MinValue));
        _posted = true;
        _writer.Adopt(messageIds);
    }

    /// <summary>True once a write of this reply reached the channel (an adopted message counts only when edited).</summary>
    internal bool HasWritten => _written;

    private async Task DeliverFinalAsync(int index, ReplyMessage message)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            if (index < _messages.Count && _messages[index].Text == message.Text)
                return;
            // Timers may fire a few milliseconds early (the coarse monotonic clock): wait until it is really time.
            for (var wait = WaitBeforeWriting(index); wait > TimeSpan.Zero; wait = WaitBeforeWriting(index))
                await Task.Delay(wait, _time, _delivery).ConfigureAwait(false);
            if (await WriteAsync(message, _delivery).ConfigureAwait(false) || _ended)
                return;
            await Task.Delay(s_retryDelay * attempt, _time, _delivery).ConfigureAwait(false);
        }

        // Edits keep failing (the message may be gone): post the final text as a new message instead.
        if (index < _messages.Count && await TryAsync(async () =>
            {
                var posted = await _writer.PostAsync(message, _delivery).ConfigureAwait(false);
                if (posted.MessageId is not { } id)
                {
                    _ended = true;
                    return;
                }

                _messages[index] = new PostedMessage(id, message.Text, _time.GetUtcNow());
                _written = true;
                if (Written is { } written)
                    await written([.. _messages.Select(m => m.Id)]).ConfigureAwait(false);
            }, attempts: 2).ConfigureAwait(false))
        {
            return;
        }

        Log.FinalDeliveryFailed(_logger, index);
    }

    // One post or edit. Returns false when it failed (already logged).
    private async Task<bool> WriteAsync(ReplyMessage message, CancellationToken cancellationToken)
    {
        var index = message.Index;
        using var span = Telemetry?.StartWrite(edit: index < _messages.Count);
        try
        {
            if (index < _messages.Count)
            {
                await _writer.EditAsync(_messages[index].Id, message, cancellationToken).ConfigureAwait(false);
                _messages[index] = _messages[index] with { Text = message.Text, LastWrite = _time.GetUtcNow() };
                _written = true;
            }
            else
            {
                var posted = await _writer.PostAsync(message, cancellationToken).ConfigureAwait(false);
                if (posted.MessageId is not { } id)
                {
                    _ended = true; // the channel ended the reply: no more writes, and no retry of this one
                    return false;
                }

                _messages.Add(new PostedMessage(id, message.Text, _time.GetUtcNow()));
                _posted = _written = true;
            }

            if (Written is { } written)
                await written([.. _messages.Select(m => m.Id)]).ConfigureAwait(false);

            Telemetry?.Written(message);
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
}
