using System.Runtime.CompilerServices;

namespace Bot.Testing;

/// <summary>
/// Lets a test wait for a condition over a fake's recorded state without polling: the fake calls <see cref="Notify"/>
/// whenever that state changes, and <see cref="UntilAsync"/> checks the condition again each time.
/// </summary>
public sealed class StateChanges
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private TaskCompletionSource _next = NewSignal();

    /// <summary>Says that the state changed: every waiting condition is checked again.</summary>
    public void Notify()
    {
        TaskCompletionSource changed;
        lock (_lock)
            (changed, _next) = (_next, NewSignal());
        changed.TrySetResult();
    }

    /// <summary>
    /// Returns once <paramref name="condition"/> holds. The patience only guards against a hang (the test fails with
    /// <paramref name="what"/> instead of never ending); it is not a timing check.
    /// </summary>
    public async Task UntilAsync(Func<bool> condition, TimeSpan? patience = null, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        using var giveUp = new CancellationTokenSource(patience ?? s_patience);
        while (true)
        {
            Task changed;
            lock (_lock)
                changed = _next.Task;
            if (condition())
                return;
            try
            {
                await changed.WaitAsync(giveUp.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                throw new TimeoutException($"This never came true: {what}");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
