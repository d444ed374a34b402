using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Host.Tests;

/// <summary>
/// The real host with Teams settings pointing at the loopback Bot Framework fake (metadata, login, Connector):
/// a correctly signed activity is accepted and answered through its serviceUrl, a forged one is refused.
/// </summary>
public sealed class TeamsHostTests
{
    [Fact]
    public async Task Server_AcceptsSignedActivity_RejectsForgedOne_AndRepliesThroughTheServiceUrl()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        await using var teams = await FakeTeamsServer.StartAsync();
        var port = LoopbackHost.FreePort();
        using var stop = new CancellationTokenSource();
        var server = BotApplication.RunServerAsync(
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Teams:AppId", FakeTeamsServer.AppId,
            "--Teams:AppPassword", FakeTeamsServer.AppPassword,
            "--Teams:OpenIdMetadataUrl", teams.OpenIdMetadataUrl,
            "--Teams:LoginEndpoint", teams.LoginEndpoint,
            "--Teams:ServiceUrlHosts:0", teams.BaseUri.Authority, // the fake Connector (port included) instead of the public cloud's
        ], cancellationToken: stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForHealthAsync(http);

        using var forgedKey = new TestSigningKey(teams.SigningKey.Kid, "msteams");
        var forged = Activity(teams, "a:forged-conversation", "forged");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(http, forged, teams.CreateToken(new TokenSpec { Key = forgedKey }))).StatusCode);

        var genuine = Activity(teams, "a:genuine-conversation", "hello from Teams");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, genuine, teams.CreateToken())).StatusCode);
        await teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == "a:genuine-conversation" && x.StreamType == "final"));

        var final = teams.Requests.Single(x => x.ConversationId == "a:genuine-conversation" && x.StreamType == "final");
        Assert.Equal("You said: hello from Teams", final.Text);
        Assert.Equal(["botframework.com"], teams.TokenRequests);
        Assert.DoesNotContain(teams.Requests, r => r.ConversationId == "a:forged-conversation");
        Assert.DoesNotContain(openAI.ResponseRequests, r => r.UserText == "forged");

        await stop.CancelAsync();
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static JsonObject Activity(FakeTeamsServer teams, string conversationId, string text) =>
        Activities.FromFixture("personal_message.json", teams.ServiceUrl, conversationId, text);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, JsonObject activity, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The host did not start.");
    }
}
