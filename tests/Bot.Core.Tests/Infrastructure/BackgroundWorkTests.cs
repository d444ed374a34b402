using Bot.Core.Infrastructure;
using Bot.Testing;

namespace Bot.Core.Tests.Infrastructure;

/// <summary>Work nobody waits for: its failure is logged once, a shutdown's cancellation not at all, and nothing is thrown at the caller.</summary>
public sealed class BackgroundWorkTests
{
    private const int FailedEvent = 1050;
    private readonly ListLogger<BackgroundWorkTests> _log = new();

    [Fact]
    public async Task AFailingTaskOnThePool_IsLoggedOnce_WithWhatItWas()
    {
        var failed = new TaskCompletionSource();

        BackgroundWork.Run(async () =>
        {
            await Task.Yield();
            failed.SetResult();
            throw new InvalidOperationException("boom");
        }, _log, "the nightly report");
        await failed.Task;
        await WaitForLogAsync();

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(FailedEvent, entry.EventId.Id);
        Assert.Contains("the nightly report", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkThatThrowsBeforeItsFirstWait_IsLogged_AndTheCallerGoesOn()
    {
        BackgroundWork.Start(() => throw new InvalidOperationException("at once"), _log, "a welcome");

        Assert.Equal(1, _log.Count(FailedEvent));
    }

    [Fact]
    public void ACancellationBecauseTheHostStops_IsNotAFailure()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();

        BackgroundWork.Start(() => Task.FromCanceled(stopping.Token), _log, "a welcome", stopping.Token);
        BackgroundWork.Observe(Task.FromException(new OperationCanceledException(stopping.Token)), _log, "a save", stopping.Token);

        Assert.Empty(_log.Entries);
    }

    [Fact]
    public void ACancellationWhileTheHostRuns_IsLogged()
    {
        using var other = new CancellationTokenSource();
        other.Cancel();

        BackgroundWork.Start(() => Task.FromCanceled(other.Token), _log, "a stream update", CancellationToken.None);

        Assert.Equal(1, _log.Count(FailedEvent));
    }

    [Fact]
    public async Task ATaskThatSucceeds_LeavesNoTrace()
    {
        var done = new TaskCompletionSource();

        BackgroundWork.Observe(done.Task, _log, "a follow-up");
        done.SetResult();
        await done.Task;

        Assert.Empty(_log.Entries);
    }

    // The failure is logged on the pool: wait for it rather than for a time.
    private async Task WaitForLogAsync()
    {
        while (_log.Entries.Count == 0)
            await Task.Delay(5);
    }
}
