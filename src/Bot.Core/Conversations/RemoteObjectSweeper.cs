using Bot.Core.Backends;
using Bot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Conversations;

/// <summary>
/// Deletes the remote objects whose deletion a reset requested but could not finish (the service failed, or the
/// caller went away midway): every <see cref="ConversationOptions.RemoteDeleteSweepInterval"/> it takes the deletions
/// that are due and tries each once more, with a delay that doubles from one attempt to the next. "Not found" counts
/// as deleted (the backends say so). Each failure is logged; after <see cref="ConversationOptions.RemoteDeleteAttempts"/>
/// attempts it gives up on the object, logs that, and leaves it in the registry for an operator. Objects whose
/// deletion nobody requested (those of a mapping archived by a backend switch) are never touched.
/// </summary>
public sealed class RemoteObjectSweeper : BackgroundService
{
    // Claimed per store round trip; a pass goes on until nothing more is due.
    private const int BatchSize = 50;

    private readonly IConversationStore _store;
    private readonly BackendCatalog _backends;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RemoteObjectSweeper> _logger;

    public RemoteObjectSweeper(IConversationStore store, BackendCatalog backends, IOptions<ConversationOptions> options, TimeProvider time,
        ILogger<RemoteObjectSweeper> logger)
    {
        _store = store;
        _backends = backends;
        _options = options.Value;
        _time = time;
        _logger = logger;
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
        while (true)
        {
            try
            {
                await Task.Delay(_options.RemoteDeleteSweepInterval, _time, stoppingToken).ConfigureAwait(false);
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store may be unreachable for a while; the next pass tries again.
                Log.SweepFailed(_logger, _options.RemoteDeleteSweepInterval, ex);
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
}
