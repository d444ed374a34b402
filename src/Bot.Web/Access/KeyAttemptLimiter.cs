using System.Net;
using System.Net.Sockets;
using Bot.Core.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bot.Web.Access;

/// <summary>
/// Counts wrong access keys per client address: after <c>Web:MaxFailedKeyAttempts</c> within
/// <c>Web:FailedKeyWindow</c> the address must wait out the window, whatever key it sends meanwhile, so keys cannot be
/// guessed at speed. IPv6 addresses count per /64 (one machine usually has a whole /64 to rotate through). Memory is
/// bounded: expired entries are dropped, and past <see cref="MaxTracked"/> addresses the entry closest to its end
/// makes room.
/// </summary>
internal sealed class KeyAttemptLimiter(IOptions<WebChatOptions> options, TimeProvider time)
{
    public const int MaxTracked = 100_000;

    private readonly int _maxFailures = options.Value.MaxFailedKeyAttempts;
    private readonly TimeSpan _window = options.Value.FailedKeyWindow;
    private readonly ExpiringMap<string, Entry> _entries = new(options.Value.FailedKeyWindow, MaxTracked, time, StringComparer.Ordinal,
        entry => entry.Start + options.Value.FailedKeyWindow);

    /// <summary>How many addresses are counted now.</summary>
    internal int Tracked => _entries.Count;

    /// <summary>How long the address must still wait, or null when it may try a key.</summary>
    public TimeSpan? LockedFor(IPAddress? address)
    {
        if (!_entries.TryGetValue(Bucket(address), out var entry) || entry.Failures < _maxFailures)
            return null;
        var left = entry.Start + _window - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts a wrong key from the address.</summary>
    public void Failed(IPAddress? address)
    {
        var now = time.GetUtcNow();
        // Within the window the count goes on; a lockout starts from the failure that caused it, so it lasts a whole window.
        _entries.AddOrUpdate(Bucket(address), _ => new Entry(now, 1),
            (_, entry) => entry.Failures + 1 is var failures && failures == _maxFailures ? new Entry(now, failures) : entry with { Failures = failures });
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
