using System.Collections.Concurrent;

namespace Bot.Discord.Adapter;

/// <summary>
/// One typing indicator per Discord channel at a time: Discord shows it for about 10 s for the whole channel,
/// so the replies being prepared in one channel share it instead of each spending a request of the budget.
/// </summary>
internal sealed class TypingGate(TimeProvider time)
{
    private static readonly TimeSpan s_shown = TimeSpan.FromSeconds(8);
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);

    /// <summary>True when the channel's indicator needs (re)sending now; the caller then sends it.</summary>
    public bool TryTake(string channelId)
    {
        var now = time.GetTimestamp();
        while (true)
        {
            if (!_last.TryGetValue(channelId, out var last))
            {
                if (_last.TryAdd(channelId, now))
                    return true;
                continue;
            }

            if (time.GetElapsedTime(last, now) < s_shown)
                return false;
            if (_last.TryUpdate(channelId, now, last))
                return true;
        }
    }
}
