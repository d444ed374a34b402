using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// Issue 10, point 5 (Teams half): in local mode "this machine only" also means the request was addressed to this
/// machine by name (Host) and, when a browser says so, sent by a page of this machine (Origin), so that a page on a
/// domain that resolves to 127.0.0.1 (DNS rebinding) cannot drive the bot. Replies go to loopback serviceUrls only.
/// </summary>
public sealed class LocalModeTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await TeamsHarness.StartAsync(withAppId: false);
        _bot.Teams.RequireBotToken = false;
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("evil.example", null)]
    [InlineData("evil.example:{port}", null)]
    [InlineData("127.0.0.1.evil.example", null)]
    [InlineData("localhost.evil.example:{port}", null)]
    [InlineData("127.0.0.1:{port}", "http://evil.example")]
    [InlineData("localhost:{port}", "http://evil.example:{port}")]
    [InlineData("localhost:{port}", "null")]
    public async Task RequestNotAddressedToThisMachineOrFromAForeignPage_IsRefused(string host, string? origin)
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, $"rebound {host} {origin}");

        var response = await PostAsync(activity, host, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await _bot.AssertNothingStartedAsync(activity);
    }

    [Theory]
    [InlineData("localhost:{port}", null)]
    [InlineData("127.0.0.1:{port}", "http://127.0.0.1:{port}")]
    [InlineData("[::1]:{port}", "http://localhost:3978")]
    [InlineData("LOCALHOST", "https://[::1]")]
    public async Task RequestAddressedToThisMachine_IsAnswered(string host, string? origin)
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, $"local {host} {origin}");

        var response = await PostAsync(activity, host, origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Activities.ConversationId(activity) && x.StreamType == "final"));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/")]
    [InlineData("http://192.168.1.20:8080/")]
    public async Task ServiceUrlOffThisMachine_IsRefused(string serviceUrl)
    {
        var activity = Activities.Personal(serviceUrl, $"away {serviceUrl}");

        var response = await PostAsync(activity, "localhost", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await _bot.AssertNothingStartedAsync(activity);
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, string host, string? origin)
    {
        var port = _bot.Http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = host.Replace("{port}", port, StringComparison.Ordinal);
        if (origin is not null)
            request.Headers.TryAddWithoutValidation("Origin", origin.Replace("{port}", port, StringComparison.Ordinal));
        return await _bot.Http.SendAsync(request);
    }
}
