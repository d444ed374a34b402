using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Adapter;

/// <summary>
/// MESSAGE_CREATE into the core, and what to do when the store cannot take it: Discord never delivers a dispatch again,
/// so a message that could not be stored waits here, in memory, and is tried again with backoff (from
/// <see cref="DiscordOptions.StoreRetryDelay"/>, doubling up to 5 s) until the store is back. Messages keep their order:
/// while anything waits, new messages queue behind it. At most <see cref="DiscordOptions.RetryBufferSize"/> wait; when
/// full, the oldest is dropped (logged). What waits at shutdown is lost (logged), as it was never stored.
/// </summary>
internal sealed class MessageIntake(MessageRouter router, ConversationService conversations, DiscordOptions options, TimeProvider time,
    ILogger<MessageIntake> logger)
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly LinkedList<JsonElement> _waiting = new();
    private Task _retrying = Task.CompletedTask;

    /// <summary>Messages waiting for the store now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
                return _waiting.Count;
        }
    }

    /// <summary>The retry loop, for a test or a shutdown to wait on (completed when nothing waits).</summary>
    internal Task Retrying
    {
        get
        {
            lock (_lock)
                return _retrying;
        }
    }

    /// <summary>Routes a MESSAGE_CREATE and accepts it; when the store is unreachable, keeps it for later. Called in dispatch order.</summary>
    public async Task TakeAsync(JsonElement message, string botUserId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_waiting.Count > 0)
            {
                Hold(message.Clone());
                return;
            }
        }

        try
        {
            await IntakeAsync(message, botUserId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            Log.MessageHeld(logger, Id(message), ex);
            lock (_lock)
            {
                Hold(message.Clone());
                if (_retrying.IsCompleted)
                    _retrying = Task.Run(() => RetryAsync(botUserId, cancellationToken), CancellationToken.None);
            }
        }
    }

    private async Task IntakeAsync(JsonElement message, string botUserId, CancellationToken cancellationToken)
    {
        if (await router.RouteAsync(message, botUserId, cancellationToken).ConfigureAwait(false) is { } incoming)
        {
            using var span = DiscordTelemetry.StartAccept();
            await conversations.AcceptAsync(incoming, cancellationToken).ConfigureAwait(false);
        }
    }

    // Under the lock.
    private void Hold(JsonElement message)
    {
        if (_waiting.Count >= options.RetryBufferSize && _waiting.First is { } oldest)
        {
            _waiting.RemoveFirst();
            Log.HeldMessageDropped(logger, Id(oldest.Value), options.RetryBufferSize);
        }

        _waiting.AddLast(message);
    }

    // Oldest first; a message leaves the buffer only once stored (or refused for good), so that a message arriving
    // meanwhile queues behind it.
    private async Task RetryAsync(string botUserId, CancellationToken cancellationToken)
    {
        var delay = options.StoreRetryDelay;
        while (true)
        {
            LinkedListNode<JsonElement>? next;
            lock (_lock)
            {
                next = _waiting.First;
                if (next is null)
                    return;
            }

            try
            {
                await IntakeAsync(next.Value, botUserId, cancellationToken).ConfigureAwait(false);
                delay = options.StoreRetryDelay;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Abandon();
                return;
            }
            catch (Exception ex) when (StoreFaults.IsUnavailable(ex))
            {
                try
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Abandon();
                    return;
                }

                delay = delay * 2 < s_maxDelay ? delay * 2 : s_maxDelay;
                continue;
            }
            catch (Exception ex)
            {
                // Not the store: the message itself cannot be taken, and trying again would not help.
                Log.HeldMessageFailed(logger, Id(next.Value), ex);
            }

            lock (_lock)
            {
                // Unless the full buffer dropped it meanwhile.
                if (next.List is not null)
                    _waiting.Remove(next);
                if (_waiting.Count == 0)
                    Log.HeldMessagesTaken(logger);
            }
        }
    }

    private void Abandon()
    {
        lock (_lock)
        {
            if (_waiting.Count > 0)
                Log.HeldMessagesLost(logger, _waiting.Count);
            _waiting.Clear();
        }
    }

    private static string Id(JsonElement message) =>
        message.TryGetProperty("id", out var id) ? id.GetString() ?? "?" : "?";
}
