using System.Text.Json;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>
/// Wake-ups between instances: a message stored for a conversation another instance holds, and a signal left for it,
/// are also announced on the store's notification channel (<see cref="IStoreNotifications"/>), so the holder looks at
/// once; without notifications (SQLite) or when one is lost, the poll finds the same work a little later.
/// </summary>
internal sealed partial class ConversationCluster
{
    /// <summary>The notification channel of conversation wake-ups.</summary>
    public const string NotificationChannel = "bot_conversations";

    private const string WakeKind = "wake";
    private const string SignalKind = "signal";

    private IDisposable? _subscription;
    private CancellationTokenSource? _pollWait;
    private int _pollSoon;

    /// <summary>
    /// Tells the other instances that messages of the conversation wait in the store (this instance could not take its
    /// lease). Best effort, without waiting.
    /// </summary>
    public void NotifyWaiting(ConversationKey key)
    {
        if (notifications is { IsSupported: true })
            _ = NotifyAsync(WakeKind, key);
    }

    private async Task NotifyAsync(string kind, ConversationKey key)
    {
        if (notifications is not { IsSupported: true } channel)
            return;
        try
        {
            var payload = JsonSerializer.Serialize(new Notice(kind, InstanceId, key.Channel, key.ConversationId));
            await channel.PublishAsync(NotificationChannel, payload, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.NotifyFailed(logger, ex);
        }
    }

    private void Listen(Action<ConversationKey> wake)
    {
        if (notifications is not { IsSupported: true } channel)
            return;
        _subscription = channel.Subscribe(NotificationChannel, payload =>
        {
            // Empty: the listener reconnected and may have missed notices; a poll finds whatever they were about.
            if (payload.Length == 0)
            {
                PollSoon();
                return;
            }

            Notice? notice;
            try
            {
                notice = JsonSerializer.Deserialize<Notice>(payload);
            }
            catch (JsonException ex)
            {
                Log.NotificationUnreadable(logger, ex);
                return;
            }

            if (notice is null || notice.Origin == InstanceId || _stopping.IsCancellationRequested)
                return;
            if (notice.Kind == WakeKind)
                wake(new ConversationKey(notice.Channel, notice.Conversation));
            else
                PollSoon();
        });
    }

    // Ends the poll loop's current wait, so the next poll (signals, orphaned conversations) runs now.
    private void PollSoon()
    {
        Interlocked.Exchange(ref _pollSoon, 1);
        try
        {
            Volatile.Read(ref _pollWait)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That wait just ended: the flag makes the next one short.
        }
    }

    // Waits a poll interval, or less when a notification asks for a poll now. False when the cluster stops.
    private async Task<bool> WaitForPollAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Volatile.Write(ref _pollWait, wait);
        try
        {
            if (Interlocked.Exchange(ref _pollSoon, 0) == 0)
                await Task.Delay(interval, time, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _pollSoon, 0);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref _pollWait, null);
        }

        return !stopping.IsCancellationRequested;
    }

    private sealed record Notice(string Kind, string Origin, string Channel, string Conversation);
}
