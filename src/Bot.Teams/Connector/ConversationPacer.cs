using System.Collections.Concurrent;

namespace Bot.Teams.Connector;

/// <summary>
/// Keeps the bot's writes to one Teams thread (a 1:1 chat, a group chat or a channel) within the per-thread limits
/// (teams.md §2.5: 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1800 per hour), so that the Connector does
/// not answer 429. Updates count like sends (the documentation does not say; being careful costs little).
/// </summary>
internal sealed class ConversationPacer(TimeProvider time)
{
    // Each window a little longer than Teams' own, so that network jitter cannot push a burst over the line.
    private static readonly (TimeSpan Window, int Limit)[] s_windows =
    [
        (TimeSpan.FromMilliseconds(1050), 7),
        (TimeSpan.FromMilliseconds(2100), 8),
        (TimeSpan.FromSeconds(31), 60),
        (TimeSpan.FromSeconds(3610), 1800),
    ];

    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _threads = new(StringComparer.Ordinal);

    /// <summary>Waits until one more write to <paramref name="conversationId"/>'s thread is allowed, and counts it.</summary>
    public async Task WaitAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var stamps = _threads.GetOrAdd(ThreadOf(conversationId), _ => []);
        while (true)
        {
            TimeSpan wait;
            lock (stamps)
            {
                var now = time.GetUtcNow();
                wait = TimeSpan.Zero;
                foreach (var (window, limit) in s_windows)
                {
                    if (stamps.Count >= limit)
                    {
                        var until = stamps[stamps.Count - limit] + window - now;
                        if (until > wait)
                            wait = until;
                    }
                }

                if (wait <= TimeSpan.Zero)
                {
                    stamps.Add(now);
                    var expired = stamps.FindIndex(s => now - s < s_windows[^1].Window);
                    if (expired > 64)
                        stamps.RemoveRange(0, expired);
                    return;
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
}
