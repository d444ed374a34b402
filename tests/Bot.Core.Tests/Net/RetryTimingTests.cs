using Bot.Core.Net;

namespace Bot.Core.Tests.Net;

/// <summary>Retry-After as the servers send it, and the backoff the Connector, Discord and OpenAI clients share.</summary>
public sealed class RetryTimingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 10, 21, 7, 27, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120_000)]
    [InlineData(" 3 ", 3_000)]
    [InlineData("0.35", 350)] // Discord's header carries a fraction
    [InlineData("Wed, 21 Oct 2026 07:28:00 GMT", 30_000)]
    [InlineData("Wed, 21 Oct 2026 07:00:00 GMT", 0)] // a date already past: go now
    public void RetryAfter_ReadsSecondsAndHttpDates(string header, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfter.Parse(header, s_now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("2026-10-21T07:28:00Z")] // not an HTTP date
    public void RetryAfter_GarbageOrNothing_IsNoAnswer(string? header) => Assert.Null(RetryAfter.Parse(header, s_now));

    [Fact]
    public void RetryAfter_IsReadFromAResponse()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "Wed, 21 Oct 2026 07:27:45 GMT");

        Assert.Equal(TimeSpan.FromSeconds(15), RetryAfter.From(response, s_now));
        using var without = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        Assert.Null(RetryAfter.From(without, s_now));
    }

    [Fact]
    public void Backoff_DoublesPerAttempt_WithinItsJitter_AndNeverPastTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0.2, new Random(7));

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var expected = 100 * Math.Pow(2, attempt);
            Assert.InRange(backoff.Delay(attempt).TotalMilliseconds, Math.Min(expected * 0.8, 1000), Math.Min(expected * 1.2, 1000));
        }

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(40));
    }

    [Fact]
    public void Backoff_JitterSpreadsClientsThatFailedTogether()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), jitter: 0.2, new Random(11));

        var delays = Enumerable.Range(0, 20).Select(_ => backoff.Delay(2)).Distinct().Count();

        Assert.True(delays > 1, "every client would retry at the same moment");
    }

    [Fact]
    public void Backoff_TheServersWaitWins_ButIsClamped()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(5, serverAsked: TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(2), backoff.Delay(0, serverAsked: TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, backoff.Delay(0, serverAsked: TimeSpan.FromSeconds(-3)));
    }
}
