using System.Net;
using Bot.Testing;
using Bot.Web.Access;
using Microsoft.Extensions.Options;

namespace Bot.Web.Tests.Access;

public sealed class KeyAttemptLimiterTests
{
    private readonly ManualClock _clock = new();
    private readonly KeyAttemptLimiter _limiter;

    public KeyAttemptLimiterTests() =>
        _limiter = new KeyAttemptLimiter(Options.Create(new WebChatOptions { MaxFailedKeyAttempts = 3, FailedKeyWindow = TimeSpan.FromMinutes(1) }), _clock);

    [Fact]
    public void AfterTheLimit_TheAddressWaitsAWholeWindow_ThenMayTryAgain()
    {
        var address = IPAddress.Parse("203.0.113.7");
        _limiter.Failed(address);
        _clock.Advance(TimeSpan.FromSeconds(50));
        _limiter.Failed(address);
        Assert.Null(_limiter.LockedFor(address));

        _limiter.Failed(address);

        Assert.Equal(TimeSpan.FromMinutes(1), _limiter.LockedFor(address));
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), _limiter.LockedFor(address));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_limiter.LockedFor(address));
        _limiter.Failed(address);
        Assert.Null(_limiter.LockedFor(address)); // a new window, with one failure in it
    }

    [Fact]
    public void FailuresOutsideTheWindow_DoNotAddUp()
    {
        var address = IPAddress.Parse("203.0.113.7");
        for (var i = 0; i < 10; i++)
        {
            _limiter.Failed(address);
            _clock.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Null(_limiter.LockedFor(address));
    }

    [Fact]
    public void IPv6_CountsPerSlash64_IPv4MappedAsIPv4_OtherAddressesApart()
    {
        for (var i = 1; i <= 3; i++)
            _limiter.Failed(IPAddress.Parse($"2001:db8:1:2::{i}"));

        Assert.NotNull(_limiter.LockedFor(IPAddress.Parse("2001:db8:1:2:ffff::1")));
        Assert.Null(_limiter.LockedFor(IPAddress.Parse("2001:db8:1:3::1")));

        for (var i = 0; i < 3; i++)
            _limiter.Failed(IPAddress.Parse("::ffff:198.51.100.1"));
        Assert.NotNull(_limiter.LockedFor(IPAddress.Parse("198.51.100.1")));
        Assert.Null(_limiter.LockedFor(IPAddress.Parse("198.51.100.2")));
    }

    [Fact]
    public void TheAddressesCounted_AreBounded_AndExpiredOnesMakeRoom()
    {
        for (var i = 0; i < KeyAttemptLimiter.MaxTracked + 10; i++)
            _limiter.Failed(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
        Assert.Equal(KeyAttemptLimiter.MaxTracked, _limiter.Tracked);

        _clock.Advance(TimeSpan.FromMinutes(2));
        _limiter.Failed(IPAddress.Parse("203.0.113.7"));

        Assert.Equal(1, _limiter.Tracked);
    }
}
