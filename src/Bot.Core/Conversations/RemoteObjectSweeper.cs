using Bot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Conversations;

/// <summary>
/// Deletes the remote objects whose deletion a reset requested but could not finish (the service failed, or the
/// caller went away midway): it sleeps until the earliest such deletion is due, then tries every due one once more,
/// with a delay that doubles from one attempt to the next. "Not found" counts as deleted (the backends say so). Each
/// failure is logged; after <see cref="ConversationOptions.RemoteDeleteAttempts"/> attempts it gives up on the object,
/// logs that, and leaves it in the registry for an operator. Objects whose deletion nobody requested (those of a
/// mapping archived by a backend switch) are never touched.
/// </summary>
/// <remarks>
/// It reads the store once at start (deletions left by an earlier run) and then only when a deletion is due: a reset
/// that leaves something behind wakes it through <see cref="ConversationService.RemoteDeletionsPending"/>. An idle bot
/// costs it nothing.
/// </remarks>
public sealed class RemoteObjectSweeper : BackgroundService
{
    // Claimed per store round trip; a pass goes on until nothing more is due.
    private const int BatchSize = 50;

    // Task.Delay takes at most ~49 days; a longer wait is taken in steps.
    private static readonly TimeSpan s_longestWait = TimeSpan.FromDays(1);

    private readonly IConversationStore _store;
    private readonly BackendCatalog _backends;
    private readonly ConversationService _conversations;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RemoteObjectSweeper> _logger;
    private readonly Lock _lock = new();
    private TaskCompletionSource _wake = NewSignal();
    private DateTimeOffset? _nextDue;

    public RemoteObjectSweeper(IConversationStore store, BackendCatalog backends, ConversationService conversations,
        IOptions<ConversationOptions> options, TimeProvider time, ILogger<RemoteObjectSweeper> logger)
    {
        _store = store;
        _backends = backends;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _conversations = conversations;
        conversations.RemoteDeletionsPending += Expect;
    }

    /// <summary>Makes one attempt at every deletion that is due now. Returns how many objects it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var schedule = _options.RemoteDeleteSchedule;
        var deleted = 0;
        while (true)
        {
            var due = await _store.ClaimDueDeletionsAsync(_time.GetUtcNow(), schedule, BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var deletion in due)
            {
                if (await TryDeleteAsync(deletion, cancellationToken).ConfigureAwait(false))
                    deleted++;
            }

            // Failed attempts were rescheduled into the future by the claim, so a full batch never comes round again.
            if (due.Count < BatchSize)
                return deleted;
        }
    }

    /// <summary>Reads when the first deletion left by an earlier run is due, before the host goes on starting.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LearnNextDueAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The bot starts anyway; the sweep looks again a little later.
            Log.SweepFailed(_logger, _options.RemoteDeleteRetryDelay, ex);
            Expect(_time.GetUtcNow() + _options.RemoteDeleteRetryDelay);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs a failed attempt: when the next one comes, or that there will be none.</summary>
    internal static void LogFailure(ILogger logger, RemoteDeletion deletion, Exception exception)
    {
        var item = deletion.Object;
        if (deletion.NextAttemptAt is { } next)
            Log.RemoteDeleteFailed(logger, item.Kind.ToString(), item.RemoteId, deletion.Conversation, deletion.Attempt, next, exception);
        else
            Log.RemoteDeleteAbandoned(logger, item.Kind.ToString(), item.RemoteId, deletion.Conversation, deletion.Attempt, exception);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await WaitUntilDueAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                    await LearnNextDueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The store failed: try again after the retry delay, not at once.
                    Log.SweepFailed(_logger, _options.RemoteDeleteRetryDelay, ex);
                    Expect(_time.GetUtcNow() + _options.RemoteDeleteRetryDelay);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _conversations.RemoteDeletionsPending -= Expect;
        base.Dispose();
    }

    // Something may be due at `due` (or earlier than thought): wake up for it.
    private void Expect(DateTimeOffset due)
    {
        lock (_lock)
        {
            if (_nextDue is null || due < _nextDue)
                _nextDue = due;
            _wake.TrySetResult();
        }
    }

    // The store knows every pending deletion; a reset that announced one meanwhile is kept if it is sooner.
    private async Task LearnNextDueAsync(CancellationToken cancellationToken)
    {
        if (await _store.GetNextDeletionDueAsync(cancellationToken).ConfigureAwait(false) is { } due)
            Expect(due);
    }

    // Returns once the earliest known deletion is due; sleeps without limit while none is known, until a reset wakes it.
    private async Task WaitUntilDueAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            TaskCompletionSource wake;
            DateTimeOffset? due;
            lock (_lock)
            {
                (wake, due) = (_wake, _nextDue);
                if (due is { } at && at <= _time.GetUtcNow())
                {
                    _nextDue = null;
                    _wake = NewSignal();
                    return;
                }
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var timer = due is { } until
                ? Task.Delay(Clamp(until - _time.GetUtcNow()), _time, waiting.Token)
                : Task.Delay(Timeout.Infinite, waiting.Token);
            await Task.WhenAny(timer, wake.Task).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
            stoppingToken.ThrowIfCancellationRequested();
            lock (_lock)
            {
                if (ReferenceEquals(_wake, wake) && wake.Task.IsCompleted)
                    _wake = NewSignal();
            }
        }
    }

    private async Task<bool> TryDeleteAsync(RemoteDeletion deletion, CancellationToken cancellationToken)
    {
        var item = deletion.Object;
        var backend = _backends.Find(deletion.BackendKind) ?? _backends.Current;
        try
        {
            await backend.DeleteAsync(item.Kind, item.RemoteId, cancellationToken).ConfigureAwait(false);
            Telemetry.CoreTelemetry.RemoteObjectDeleted(item.Kind);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogFailure(_logger, deletion, ex);
            return false;
        }

        await _store.MarkRemoteObjectDeletedAsync(item.Kind, item.RemoteId, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        Log.RemoteObjectSwept(_logger, item.Kind.ToString(), item.RemoteId, deletion.Conversation, deletion.Attempt);
        return true;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > s_longestWait ? s_longestWait : wait;
}
