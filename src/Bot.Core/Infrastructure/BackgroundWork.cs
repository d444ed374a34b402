using Microsoft.Extensions.Logging;

namespace Bot.Core.Infrastructure;

/// <summary>
/// Work nobody waits for (a lane's drain, an interaction's answer, a welcome, a transcript save): its failure is logged
/// once, with what it was, and never becomes an unobserved exception. A cancellation because the host is stopping is
/// not a failure and is not logged.
/// </summary>
public static class BackgroundWork
{
    /// <summary>Runs <paramref name="work"/> on the thread pool (the caller goes on at once).</summary>
    public static void Run(Func<Task> work, ILogger logger, string what, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        Observe(Task.Run(work, CancellationToken.None), logger, what, stopping);
    }

    /// <summary>Starts <paramref name="work"/> here (what it does before its first wait is done before this returns) and lets it finish in the background.</summary>
    public static void Start(Func<Task> work, ILogger logger, string what, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        Task task;
        try
        {
            task = work();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        Observe(task, logger, what, stopping);
    }

    /// <summary>Watches a task already running: logs its failure when it ends.</summary>
    public static void Observe(Task task, ILogger logger, string what, CancellationToken stopping = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        _ = ObserveAsync(task, logger, what, stopping);
    }

    private static async Task ObserveAsync(Task task, ILogger logger, string what, CancellationToken stopping)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.BackgroundWorkFailed(logger, what, ex);
        }
    }
}
