using Bot.Teams.Auth;
using Bot.Testing;
using Bot.Testing.Teams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// Issue 10, point 3: with stale keys and a slow (or failing) metadata host, one refresh runs at a time and requests
/// keep validating with the keys they have; a token naming a new key waits for the one refresh that is running.
/// The cache reads the fake's real metadata over HTTP; only the clock is the test's.
/// </summary>
public sealed class SigningKeyRefreshTests : IAsyncLifetime
{
    private const int Requests = 20;
    private readonly ManualClock _clock = new();
    private FakeTeamsServer _teams = null!;
    private HttpClient _http = null!;
    private SigningKeyCache _cache = null!;

    public async Task InitializeAsync()
    {
        _teams = await FakeTeamsServer.StartAsync();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        _cache = new SigningKeyCache(_teams.OpenIdMetadataUrl, _http, _clock, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task StaleKeys_AreUsedWhileOneRefreshRuns_SoASlowMetadataHostHoldsUpNoRequest()
    {
        var first = await _cache.GetAsync();
        _clock.Advance(TimeSpan.FromHours(13));

        using (_teams.HoldMetadata())
        {
            // The metadata host answers nothing until the handle is disposed; every request still gets keys.
            var keys = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(() => _cache.GetAsync())))
                .WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(keys, k => Assert.Same(first, k));
            await WaitUntilAsync(() => _teams.MetadataRequests >= 2);
        }

        // Once the host answers, the refreshed keys replace the stale ones.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ReferenceEquals(await _cache.GetAsync(), first))
            await Task.Delay(20, deadline.Token);
        Assert.Equal(2, _teams.MetadataRequests);
    }

    [Fact]
    public async Task FailingRefresh_IsTriedOnce_NotOncePerWaitingRequest()
    {
        var first = await _cache.GetAsync();
        _clock.Advance(TimeSpan.FromHours(13));
        _teams.FailMetadata = true;

        var keys = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(() => _cache.GetAsync())));
        await WaitUntilAsync(() => _teams.MetadataRequests >= 2);
        for (var i = 0; i < Requests; i++)
            Assert.Same(first, await _cache.GetAsync());

        Assert.All(keys, k => Assert.Same(first, k));
        Assert.Equal(2, _teams.MetadataRequests);
    }

    [Fact]
    public async Task UnknownKeyId_IsLookedUpOnce_ForManyConcurrentRequests()
    {
        await _cache.GetAsync();
        using var rotated = new TestSigningKey("rotated-key", "msteams");
        _teams.Publish(rotated);

        Task<SigningKeys[]> lookups;
        using (_teams.HoldMetadata())
        {
            lookups = Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(() => _cache.RefreshForUnknownKeyAsync(rotated.Kid))));
            await WaitUntilAsync(() => _teams.MetadataRequests >= 2);
        }

        Assert.All(await lookups.WaitAsync(TimeSpan.FromSeconds(60)), k => Assert.True(k.Has(rotated.Kid)));
        Assert.Equal(2, _teams.MetadataRequests);
    }

    [Fact]
    public async Task FirstFetch_IsSharedByConcurrentRequests()
    {
        Task<SigningKeys[]> all;
        using (_teams.HoldMetadata())
        {
            all = Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(() => _cache.GetAsync())));
            await WaitUntilAsync(() => _teams.MetadataRequests >= 1);
        }

        var keys = await all.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Single(keys.Distinct());
        Assert.Equal(1, _teams.MetadataRequests);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
            await Task.Delay(20, deadline.Token);
    }
}
