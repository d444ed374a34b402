using System.Net;
using System.Text.Json.Nodes;
using Bot.Teams.Auth;
using Bot.Teams.Connector;
using Bot.Testing.Teams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// The bot's Connector token goes to the allowed Connector hosts only (issue 10, point 1): an activity naming another
/// serviceUrl is refused at the endpoint, and the Connector client itself never sends the token anywhere else.
/// The "attacker" is a second server on 127.0.0.1 (another port) that records every request it gets.
/// </summary>
public sealed class ServiceUrlTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;
    private CapturingServer _attacker = null!;

    public async Task InitializeAsync()
    {
        _bot = await TeamsHarness.StartAsync();
        _attacker = await CapturingServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _attacker.DisposeAsync();
    }

    [Fact]
    public async Task ActivityNamingAnotherServiceUrl_IsRefused_AndThatHostNeverSeesTheBotToken()
    {
        // Everything else about the token is right, even its serviceurl claim: only the host is not a Connector.
        var activity = Activities.Personal(_attacker.ServiceUrl, "steal the token");

        var response = await _bot.PostAsync(activity, _bot.Teams.CreateToken(new TokenSpec { ServiceUrl = _attacker.ServiceUrl }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await _bot.AssertNothingStartedAsync(activity);
        Assert.Empty(_attacker.Requests);
    }

    [Theory]
    [InlineData("?next=1")]
    [InlineData("#fragment")]
    [InlineData("credentials")]
    public async Task ServiceUrlWithAQueryAFragmentOrCredentials_IsRefused(string shape)
    {
        var serviceUrl = shape == "credentials"
            ? _bot.Teams.ServiceUrl.Replace("http://", "http://user:secret@", StringComparison.Ordinal)
            : _bot.Teams.ServiceUrl + shape;
        var activity = Activities.Personal(serviceUrl, $"odd service url {shape}");

        var response = await _bot.PostAsync(activity, _bot.Teams.CreateToken(new TokenSpec { ServiceUrl = serviceUrl }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await _bot.AssertNothingStartedAsync(activity);
    }

    [Fact]
    public async Task ConnectorClient_RefusesToSendTheBotTokenToAHostOutsideServiceUrlHosts()
    {
        // A reply address stored before (or by an older version) may still name any host: the client checks every call.
        using var http = new HttpClient();
        var options = new TeamsOptions
        {
            AppId = FakeTeamsServer.AppId,
            AppPassword = FakeTeamsServer.AppPassword,
            LoginEndpoint = _bot.Teams.LoginEndpoint,
            ServiceUrlHosts = { _bot.Teams.BaseUri.Authority },
        };
        var client = new ConnectorClient(http, new BotTokenProvider(options, http, TimeProvider.System, NullLogger<BotTokenProvider>.Instance),
            new ConversationPacer(TimeProvider.System), options, TimeProvider.System, NullLogger<ConnectorClient>.Instance);
        var message = new JsonObject { ["type"] = "message", ["text"] = "hi" };

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(_attacker.ServiceUrl, "a:victim", message));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.UpdateAsync(_attacker.ServiceUrl, "a:victim", "1", message));
        using var pastedImage = new HttpRequestMessage(HttpMethod.Get, $"{_attacker.ServiceUrl}v3/attachments/x/views/original");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.AuthorizeAsync(pastedImage));
        Assert.Null(pastedImage.Headers.Authorization);
        // On an allowed host, a stored serviceUrl with a query or a fragment is refused as it would be on arrival.
        var requestsBefore = _bot.Teams.Requests.Count;
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(_bot.Teams.ServiceUrl + "?next=x", "a:allowed", message));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.UpdateAsync(_bot.Teams.ServiceUrl + "#x", "a:allowed", "1", message));
        Assert.Equal(requestsBefore, _bot.Teams.Requests.Count);
        Assert.NotNull(await client.SendAsync(_bot.Teams.ServiceUrl, "a:allowed", message));

        Assert.Empty(_attacker.Requests);
    }

    [Fact]
    public void DefaultServiceUrlHosts_AreThePublicCloudConnectorHostsOnly()
    {
        var policy = new ServiceUrlPolicy(new TeamsOptions { AppId = FakeTeamsServer.AppId });

        Assert.Null(policy.Refusal("https://smba.trafficmanager.net/amer/"));
        Assert.Null(policy.Refusal("https://smba.trafficmanager.net/amer/a1b2c3d4-e5f6-7890-abcd-ef1234567890/"));
        Assert.Null(policy.Refusal("https://webchat.botframework.com/"));
        foreach (var refused in new[]
        {
            _bot.Teams.ServiceUrl, "http://smba.trafficmanager.net/amer/", "https://evil.trafficmanager.net/amer/",
            "https://smba.trafficmanager.net.evil.example/amer/", "https://botframework.com.evil.example/", "https://evilbotframework.com/",
            "https://smba.trafficmanager.net/amer/?x=1", "not a url", "ftp://smba.trafficmanager.net/",
        })
            Assert.NotNull(policy.Refusal(refused));
    }
}
