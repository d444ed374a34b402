using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Testing.OpenAI;
using Bot.Testing.Postgres;
using Bot.Testing.Teams;

namespace Bot.Host.Tests;

/// <summary>
/// Teams behind a load balancer without sticky sessions: two complete hosts on one PostgreSQL database, the activities
/// of one conversation delivered to them in turn, each answered exactly once, in order, one response at a time.
/// </summary>
public sealed partial class TwoInstanceTeamsTests
{
    private const int Count = 6;

    [Fact]
    public async Task Activities_delivered_alternately_to_two_hosts_are_answered_once_in_order_one_response_at_a_time()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        await using var teams = await FakeTeamsServer.StartAsync();
        var cluster = await ThrowawayPostgres.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        using var stop = new CancellationTokenSource();
        var (first, firstPort) = Start("first", openAI, teams, cluster.ConnectionString(database), stop.Token);
        var (second, secondPort) = Start("second", openAI, teams, cluster.ConnectionString(database), stop.Token);
        using var toFirst = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{firstPort}") };
        using var toSecond = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{secondPort}") };
        await WaitForHealthAsync(toFirst);
        await WaitForHealthAsync(toSecond);

        for (var i = 0; i < Count; i++)
        {
            var activity = Activities.FromFixture("personal_message.json", teams.ServiceUrl, "a:shared", $"msg{i:00}");
            var response = await PostAsync(i % 2 == 0 ? toFirst : toSecond, activity, teams.CreateToken());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(5);
        }

        await teams.WaitUntilAsync(requests => Sent(openAI).Count == Count
            && requests.Count(r => r.ConversationId == "a:shared" && r.StreamType == "final") == openAI.ResponseRequests.Count);

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"msg{i:00}"), Sent(openAI));
        Assert.Equal(1, openAI.MaxConcurrentResponsesPerConversation);
        Assert.Equal(0, openAI.ConversationConflicts);
        await stop.CancelAsync();
        Assert.Equal(0, await first.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await second.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static (Task<int> Server, int Port) Start(string instanceId, FakeOpenAIServer openAI, FakeTeamsServer teams, string connectionString,
        CancellationToken stop)
    {
        var port = FreePort();
        var server = BotApplication.RunServerAsync(
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Provider", "Postgres",
            "--Storage:Postgres:ConnectionString", connectionString,
            "--Cluster:InstanceId", instanceId,
            "--Teams:AppId", FakeTeamsServer.AppId,
            "--Teams:AppPassword", FakeTeamsServer.AppPassword,
            "--Teams:OpenIdMetadataUrl", teams.OpenIdMetadataUrl,
            "--Teams:LoginEndpoint", teams.LoginEndpoint,
            "--Teams:ServiceUrlHosts:0", teams.BaseUri.Authority,
        ], cancellationToken: stop);
        return (server, port);
    }

    // Every message text the fake was sent, in the order of the responses (a turn may coalesce several).
    private static List<string> Sent(FakeOpenAIServer openAI) =>
        [.. openAI.ResponseRequests.SelectMany(r => MessageText().Matches(r.UserText).Select(m => m.Value))];

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
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) when (attempt < 150)
            {
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"msg\d\d")]
    private static partial Regex MessageText();
}
