using System.Text.Json.Nodes;
using Bot.Teams.Auth;
using Bot.Teams.Connector;
using Bot.Testing.Teams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Teams.Tests.Flow;

/// <summary>The Connector client on its own against the fake: pacing within Teams' thread limits, update and delete.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private FakeTeamsServer _teams = null!;
    private HttpClient _http = null!;
    private ConnectorClient _client = null!;

    public async Task InitializeAsync()
    {
        _teams = await FakeTeamsServer.StartAsync();
        _http = new HttpClient();
        var options = new TeamsOptions
        {
            AppId = FakeTeamsServer.AppId,
            AppPassword = FakeTeamsServer.AppPassword,
            LoginEndpoint = _teams.LoginEndpoint,
            ServiceUrlHosts = { _teams.BaseUri.Authority },
        };
        var tokens = new BotTokenProvider(options, _http, TimeProvider.System, NullLogger<BotTokenProvider>.Instance);
        _client = new ConnectorClient(_http, tokens, new ConversationPacer(TimeProvider.System), options, TimeProvider.System, NullLogger<ConnectorClient>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _teams.DisposeAsync();
    }

    [Fact]
    public async Task BurstToOneThread_IsPacedWithinTeamsLimits_SoNothingIsThrottled()
    {
        const string channel = "19:burst@thread.tacv2";
        var sends = Enumerable.Range(0, 12).Select(i => _client.SendAsync(_teams.ServiceUrl, $"{channel};messageid={i % 3}", Message($"message {i}")));

        var ids = await Task.WhenAll(sends);

        Assert.Equal(12, ids.Distinct().Count());
        Assert.Equal(0, _teams.Throttled);
        var times = _teams.Requests.Select(r => r.At).Order().ToList();
        Assert.True(times[^1] - times[0] >= TimeSpan.FromSeconds(1), "12 writes to one channel cannot all go within a second");
    }

    [Fact]
    public async Task UpdateAndDelete_AddressTheActivity()
    {
        const string conversation = "a:update-delete";
        var id = await _client.SendAsync(_teams.ServiceUrl, conversation, Message("draft"));

        await _client.UpdateAsync(_teams.ServiceUrl, conversation, id!, Message("final"));
        await _client.DeleteAsync(_teams.ServiceUrl, conversation, id!);

        Assert.Equal([("POST", null), ("PUT", id), ("DELETE", id)], _teams.Requests.Select(r => (r.Method, r.ActivityId)));
        Assert.Equal("final", _teams.Requests[1].Text);
        Assert.All(_teams.Requests, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task RefusedRequest_ThrowsWithTheConnectorErrorCode()
    {
        _teams.FailNext(_ => true, 403, "ConversationBlockedByUser", "User blocked the conversation with the bot.");

        var error = await Assert.ThrowsAsync<ConnectorException>(() => _client.SendAsync(_teams.ServiceUrl, "a:blocked", Message("hi")));

        Assert.Equal(("ConversationBlockedByUser", 403), (error.Code, (int)error.Status));
    }

    private static JsonObject Message(string text) => new() { ["type"] = "message", ["text"] = text };
}
