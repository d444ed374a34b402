using Bot.Core.Infrastructure;
using Bot.Testing;

namespace Bot.Core.Tests.Infrastructure;

/// <summary>The bounded, expiring maps the adapters keep (ids seen, typing shown, key attempts, pacing), on a clock the test moves.</summary>
public sealed class ExpiringMapTests
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(10);
    private readonly ManualClock _clock = new();

    [Fact]
    public void AnId_IsNewAgainOnlyAfterItsLifetime()
    {
        var seen = new ExpiringSet<string>(s_lifetime, 100, _clock, StringComparer.Ordinal);

        Assert.True(seen.TryAdd("m1"));
        _clock.Advance(s_lifetime - TimeSpan.FromSeconds(1));
        Assert.False(seen.TryAdd("m1"));
        Assert.True(seen.Contains("m1"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(seen.Contains("m1"));
        Assert.True(seen.TryAdd("m1"));
    }

    [Fact]
    public void PastItsCapacity_TheEntryClosestToExpiryMakesRoom()
    {
        var map = new ExpiringMap<string, int>(s_lifetime, 3, _clock, StringComparer.Ordinal);
        foreach (var (key, value) in new[] { ("a", 1), ("b", 2), ("c", 3) })
        {
            map.TryAdd(key, value);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(map.TryAdd("d", 4));

        Assert.Equal(3, map.Count);
        Assert.False(map.TryGetValue("a", out _));
        Assert.True(map.TryGetValue("b", out var b) && b == 2);
        Assert.True(map.TryGetValue("d", out var d) && d == 4);
    }

    [Fact]
    public void ExpiredEntriesMakeRoom_BeforeAnyLiveOneIsDropped()
    {
        var map = new ExpiringMap<string, int>(s_lifetime, 2, _clock, StringComparer.Ordinal);
        map.TryAdd("old", 1);
        _clock.Advance(TimeSpan.FromMinutes(6));
        map.TryAdd("live", 2);
        _clock.Advance(TimeSpan.FromMinutes(5)); // "old" is past its lifetime, "live" is not

        map.TryAdd("new", 3);

        Assert.True(map.TryGetValue("live", out _));
        Assert.True(map.TryGetValue("new", out _));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void AnEntryInUse_StaysWhileItIsUsed_AndGoesAWholeLifetimeAfterItsLastUse()
    {
        var map = new ExpiringMap<string, List<int>>(s_lifetime, 10, _clock, StringComparer.Ordinal);
        var first = map.GetOrAdd("thread", _ => []);
        first.Add(1);

        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(9));
            Assert.Same(first, map.GetOrAdd("thread", _ => []));
        }

        _clock.Advance(s_lifetime);
        Assert.NotSame(first, map.GetOrAdd("thread", _ => []));
    }

    [Fact]
    public void AnEntryMayExpireWhenItsValueSays_AndAnUpdateKeepsThatTime()
    {
        // A count of failures that lasts a window from the first one, whatever follows within it.
        var map = new ExpiringMap<string, (DateTimeOffset Start, int Count)>(s_lifetime, 10, _clock, StringComparer.Ordinal, e => e.Start + s_lifetime);
        var start = _clock.GetUtcNow();
        map.AddOrUpdate("ip", _ => (start, 1), (_, e) => e with { Count = e.Count + 1 });
        _clock.Advance(TimeSpan.FromMinutes(9));
        map.AddOrUpdate("ip", _ => (_clock.GetUtcNow(), 1), (_, e) => e with { Count = e.Count + 1 });
        Assert.True(map.TryGetValue("ip", out var counted) && counted.Count == 2);

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(map.TryGetValue("ip", out _));
        Assert.Equal(1, map.AddOrUpdate("ip", _ => (_clock.GetUtcNow(), 1), (_, e) => e with { Count = e.Count + 1 }).Count);
    }

    [Fact]
    public void Remove_ForgetsAnEntry()
    {
        var map = new ExpiringMap<string, int>(s_lifetime, 10, _clock, StringComparer.Ordinal);
        map.TryAdd("a", 1);

        Assert.True(map.Remove("a"));
        Assert.False(map.Remove("a"));
        Assert.True(map.TryAdd("a", 2));
    }
}
