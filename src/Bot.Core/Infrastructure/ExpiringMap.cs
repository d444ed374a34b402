using System.Diagnostics.CodeAnalysis;

namespace Bot.Core.Infrastructure;

/// <summary>
/// A thread-safe map whose entries expire, on a <see cref="TimeProvider"/>, and which never holds more than its
/// capacity: the ids, counters and recent state that adapters keep for a while (re-deliveries seen, typing
/// indicators shown, failed key attempts, per-thread pacing). An entry expires <c>lifetime</c> after it was written,
/// or when its value says (<c>expiresAt</c>). Expired entries are swept at most once a lifetime, and whenever room
/// is needed; when every entry is still live, the one closest to expiry makes room for the new one.
/// </summary>
public sealed class ExpiringMap<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries;
    private readonly Lock _lock = new();
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Func<TValue, DateTimeOffset>? _expiresAt;
    private DateTimeOffset _nextSweep;

    /// <param name="lifetime">How long an entry lives after it was written (and the longest between sweeps).</param>
    /// <param name="capacity">The most entries held at once.</param>
    /// <param name="time">The clock.</param>
    /// <param name="comparer">Compares keys (for strings, usually <see cref="StringComparer.Ordinal"/>).</param>
    /// <param name="expiresAt">When given, an entry expires when its value says rather than a lifetime after it was written.</param>
    public ExpiringMap(TimeSpan lifetime, int capacity, TimeProvider time, IEqualityComparer<TKey>? comparer = null,
        Func<TValue, DateTimeOffset>? expiresAt = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lifetime = lifetime;
        _capacity = capacity;
        _time = time;
        _expiresAt = expiresAt;
        _entries = new Dictionary<TKey, Entry>(comparer);
        _nextSweep = time.GetUtcNow() + lifetime;
    }

    /// <summary>The live entries.</summary>
    public int Count
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_lock)
                return _entries.Values.Count(e => e.ExpiresAt > now);
        }
    }

    /// <summary>The value of the key's live entry.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Adds the entry unless the key has a live one; true when added.</summary>
    public bool TryAdd(TKey key, TValue value)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
                return false;
            StoreLocked(key, value, now);
            return true;
        }
    }

    /// <summary>The key's live value, or a new one from <paramref name="create"/>; either way its lifetime starts again (it is in use).</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var value = _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now ? entry.Value : create(key);
            StoreLocked(key, value, now);
            return value;
        }
    }

    /// <summary>Adds the key's value, or replaces its live value with <paramref name="update"/>'s, in one step.</summary>
    public TValue AddOrUpdate(TKey key, Func<TKey, TValue> add, Func<TKey, TValue, TValue> update)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(update);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var value = _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now ? update(key, entry.Value) : add(key);
            StoreLocked(key, value, now);
            return value;
        }
    }

    /// <summary>Removes the key's entry; true when it had a live one.</summary>
    public bool Remove(TKey key)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
            return _entries.Remove(key, out var entry) && entry.ExpiresAt > now;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_lock)
            _entries.Clear();
    }

    private void StoreLocked(TKey key, TValue value, DateTimeOffset now)
    {
        if (now >= _nextSweep || (_entries.Count >= _capacity && !_entries.ContainsKey(key)))
            SweepLocked(now);
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
            _entries.Remove(_entries.MinBy(e => e.Value.ExpiresAt).Key);
        _entries[key] = new Entry(value, _expiresAt?.Invoke(value) ?? now + _lifetime);
    }

    private void SweepLocked(DateTimeOffset now)
    {
        _nextSweep = now + _lifetime;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
                _entries.Remove(key);
        }
    }

    private readonly record struct Entry(TValue Value, DateTimeOffset ExpiresAt);
}
