using Bot.Core.Infrastructure;

namespace Bot.Teams.Connector;

/// <summary>
/// Keeps the bot's writes to one Teams thread (a 1:1 chat, a group chat or a channel) within the per-thread limits
/// (teams.md §2.5: 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1800 per hour), so that the Connector does
/// not answer 429. Teams sees a write somewhere between its start and its answer, so a write still in flight counts
/// as happening now, and an answered one at its answer: a slow or loaded connection cannot squeeze two bursts into
/// one of Teams' windows.
/// Updates count like sends (the documentation does not say; being careful costs little).
/// </summary>
internal sealed class ConversationPacer(TimeProvider time)
{
    private static readonly (TimeSpan Window, int Limit)[] s_windows =
    [
        (TimeSpan.FromMilliseconds(1020), 7),
        (TimeSpan.FromMilliseconds(2040), 8),
        (TimeSpan.FromSeconds(30.5), 60),
        (TimeSpan.FromSeconds(3601), 1800),
    ];

    // A thread whose last write started longer ago than the longest window (plus the time its answer may take) has
    // nothing left to count: it is forgotten, so that a long-running bot does not keep every chat it ever saw.
    private readonly ExpiringMap<string, List<Slot>> _threads =
        new(s_windows[^1].Window + TimeSpan.FromMinutes(2), 50_000, time, StringComparer.Ordinal);

    /// <summary>Waits until one more write to <paramref name="conversationId"/>'s thread is allowed; dispose the slot when it was answered.</summary>
    public async Task<IDisposable> WaitAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var slots = _threads.GetOrAdd(ThreadOf(conversationId), _ => []);
        while (true)
        {
            TimeSpan wait;
            lock (slots)
            {
                var now = time.GetUtcNow();
                slots.RemoveAll(s => s.Answered && now - s.At >= s_windows[^1].Window);
                wait = TimeSpan.Zero;
                // The write times, newest first, once for all windows: the limit-th newest inside a window decides its wait.
                var times = slots.Select(s => s.Answered ? s.At : now).OrderDescending().ToList();
                foreach (var (window, limit) in s_windows)
                {
                    if (times.Count >= limit && now - times[limit - 1] < window && times[limit - 1] + window - now > wait)
                        wait = times[limit - 1] + window - now;
                }

                if (wait <= TimeSpan.Zero)
                {
                    var slot = new Slot(slots, time) { At = now };
                    slots.Add(slot);
                    return slot;
                }
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Channel reply chains share their channel's limits: the <c>;messageid=</c> suffix is dropped.</summary>
    internal static string ThreadOf(string conversationId)
    {
        var suffix = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return suffix < 0 ? conversationId : conversationId[..suffix];
    }

    private sealed class Slot(List<Slot> owner, TimeProvider time) : IDisposable
    {
        public DateTimeOffset At { get; set; }

        public bool Answered { get; private set; }

        public void Dispose()
        {
            lock (owner)
                (At, Answered) = (time.GetUtcNow(), true);
        }
    }
}
