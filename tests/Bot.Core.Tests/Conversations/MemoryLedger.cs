using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Core.Tests.Conversations;

/// <summary>A usage ledger in memory, for the budget checks: it counts its reads, per owner.</summary>
internal sealed class MemoryLedger : IUsageLedger
{
    private readonly List<UsageEntry> _entries = [];

    /// <summary>How many times the ledger was read.</summary>
    public int Reads { get; private set; }

    /// <summary>The owners read, in order ("user:channel:id" or "place:id").</summary>
    public List<string> ReadOwners { get; } = [];

    public Task RecordUsageAsync(UsageEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_entries)
            _entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default)
    {
        Read($"user:{channel}:{userId}");
        return Task.FromResult(Totals(Month(day).Where(e => e.Channel == channel && e.UserId == userId), day));
    }

    public Task<UsageTotals> GetPlaceUsageAsync(string placeId, DateOnly day, CancellationToken cancellationToken = default)
    {
        Read("place:" + placeId);
        return Task.FromResult(Totals(Month(day).Where(e => e.CountedPlaceIds.Contains(placeId)), day));
    }

    public Task<IReadOnlyList<ModelUsage>> GetModelUsageAsync(UsageOwner owner, DateOnly day, CancellationToken cancellationToken = default)
    {
        var mine = Month(day).Where(e => owner.PlaceId is { } place ? e.CountedPlaceIds.Contains(place) : e.Channel == owner.Channel && e.UserId == owner.UserId);
        IReadOnlyList<ModelUsage> models = [.. mine.GroupBy(e => e.Model).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ModelUsage(g.Key,
            g.Where(e => e.Day == day).Aggregate(default(TokenUsage), (sum, e) => sum + e.Usage), g.Count(e => e.Day == day),
            g.Aggregate(default(TokenUsage), (sum, e) => sum + e.Usage), g.Count()))];
        return Task.FromResult(models);
    }

    public Task<IReadOnlyList<PlaceUserUsage>> GetTopPlaceUsersAsync(string placeId, DateOnly day, int count, CancellationToken cancellationToken = default)
    {
        var mine = Month(day).Where(e => e.CountedPlaceIds.Contains(placeId)).ToList();
        IReadOnlyList<PlaceUserUsage> top = [.. mine.GroupBy(e => (e.Channel, e.UserId))
            .Select(g => new PlaceUserUsage(g.Key.Channel, g.Key.UserId, mine.LastOrDefault(e => e.Channel == g.Key.Channel && e.UserId == g.Key.UserId && e.DisplayName is not null)?.DisplayName,
                [.. g.GroupBy(e => e.Model).OrderBy(m => m.Key, StringComparer.Ordinal)
                    .Select(m => new PlaceUserModelUsage(m.Key, m.Aggregate(default(TokenUsage), (sum, e) => sum + e.Usage), m.Count()))]))
            .OrderByDescending(u => u.Tokens).ThenBy(u => u.Channel, StringComparer.Ordinal).ThenBy(u => u.UserId, StringComparer.Ordinal).Take(count)];
        return Task.FromResult(top);
    }

    private void Read(string owner)
    {
        Reads++;
        ReadOwners.Add(owner);
    }

    private List<UsageEntry> Month(DateOnly day)
    {
        lock (_entries)
            return [.. _entries.Where(e => e.Day.Year == day.Year && e.Day.Month == day.Month)];
    }

    private static UsageTotals Totals(IEnumerable<UsageEntry> month, DateOnly day)
    {
        var all = month.ToList();
        var today = all.Where(e => e.Day == day).ToList();
        return new UsageTotals(today.Sum(e => e.Usage.TotalTokens), today.Count, all.Sum(e => e.Usage.TotalTokens), all.Count);
    }
}
