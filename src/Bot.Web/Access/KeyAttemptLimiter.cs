using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Bot.Web.Access;

/// <summary>
/// Counts wrong access keys per client address: after <c>Web:MaxFailedKeyAttempts</c> within
/// <c>Web:FailedKeyWindow</c> the address must wait out the window, whatever key it sends meanwhile, so keys cannot be
/// guessed at speed. IPv6 addresses count per /64 (one machine usually has a whole /64 to rotate through). Memory is
/// bounded: expired entries are dropped, and past <see cref="MaxTracked"/> addresses new ones are not tracked.
/// </summary>
internal sealed class KeyAttemptLimiter(IOptions<WebChatOptions> options, TimeProvider time)
{
    public const int MaxTracked = 100_000;

    private readonly int _maxFailures = options.Value.MaxFailedKeyAttempts;
    private readonly TimeSpan _window = options.Value.FailedKeyWindow;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How many addresses are counted now.</summary>
    internal int Tracked
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>How long the address must still wait, or null when it may try a key.</summary>
    public TimeSpan? LockedFor(IPAddress? address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(Bucket(address), out var entry) || entry.Failures < _maxFailures)
                return null;
            var left = entry.Start + _window - now;
            return left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>Counts a wrong key from the address.</summary>
    public void Failed(IPAddress? address)
    {
        var now = time.GetUtcNow();
        var bucket = Bucket(address);
        lock (_lock)
        {
            if (_entries.TryGetValue(bucket, out var entry) && entry.Start + _window > now)
            {
                // A lockout starts from the failure that caused it, so it lasts a whole window.
                var failures = entry.Failures + 1;
                _entries[bucket] = new Entry(failures == _maxFailures ? now : entry.Start, failures);
                return;
            }

            if (_entries.Count >= MaxTracked)
                Prune(now);
            if (_entries.Count < MaxTracked)
                _entries[bucket] = new Entry(now, 1);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (bucket, entry) in _entries)
        {
            if (entry.Start + _window <= now)
                _entries.Remove(bucket);
        }
    }

    private static string Bucket(IPAddress? address)
    {
        if (address is null)
            return "";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private readonly record struct Entry(DateTimeOffset Start, int Failures);
}
