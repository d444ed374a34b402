using System.Collections.Concurrent;

namespace Bot.Teams.Adapter;

/// <summary>
/// Ids seen in the last hour (at most about 20 000), to spot Teams' re-deliveries before any slower check:
/// the store still deduplicates messages for good; this only keeps a re-delivery from opening a second stream or
/// welcoming twice.
/// </summary>
internal sealed class RecentIds(TimeProvider time)
{
    private static readonly TimeSpan s_keep = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>True the first time an id is seen.</summary>
    public bool TryAdd(string id)
    {
        var now = time.GetUtcNow();
        if (!_seen.TryAdd(id, now))
            return false;
        // Past the size, old ids are swept at most once a minute (not on every message while all are recent).
        if (_seen.Count > 20_000 && now.UtcTicks >= Interlocked.Read(ref _nextSweepTicks))
        {
            Interlocked.Exchange(ref _nextSweepTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks);
            foreach (var old in _seen.Where(s => now - s.Value > s_keep))
                _seen.TryRemove(old);
        }

        return true;
    }
}
