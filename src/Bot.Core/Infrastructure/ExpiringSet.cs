namespace Bot.Core.Infrastructure;

/// <summary>
/// Items remembered for a while (ids seen, channels recently signalled), bounded and thread-safe: an
/// <see cref="ExpiringMap{TKey, TValue}"/> without values.
/// </summary>
public sealed class ExpiringSet<T>(TimeSpan lifetime, int capacity, TimeProvider time, IEqualityComparer<T>? comparer = null)
    where T : notnull
{
    private readonly ExpiringMap<T, bool> _items = new(lifetime, capacity, time, comparer);

    /// <summary>The items remembered now.</summary>
    public int Count => _items.Count;

    /// <summary>True when the item was not remembered (or its time had passed): it is remembered from now on.</summary>
    public bool TryAdd(T item) => _items.TryAdd(item, true);

    /// <summary>True while the item is remembered.</summary>
    public bool Contains(T item) => _items.TryGetValue(item, out _);
}
