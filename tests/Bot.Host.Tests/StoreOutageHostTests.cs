using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Bot.Testing.Postgres;
using Bot.Testing.Teams;
using Npgsql;

namespace Bot.Host.Tests;

/// <summary>
/// The database unreachable for about 10 s under a running Bot.Host process (<c>dotnet Bot.Host.dll</c>) with Teams and
/// Discord on PostgreSQL: the connection to PostgreSQL goes through a <see cref="TcpGate"/> that the test closes. Teams gets
/// 503 (and its redelivery afterwards is answered once), Discord's messages wait in memory and are answered in order after,
/// <c>/healthz</c> is unhealthy during the outage and healthy after, and the process is never restarted.
/// </summary>
public sealed class StoreOutageHostTests
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Database_unreachable_for_ten_seconds_loses_no_accepted_message_and_everything_resumes_without_a_restart()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        await using var teams = await FakeTeamsServer.StartAsync();
        await using var discord = await FakeDiscordServer.StartAsync();
        var cluster = await ThrowawayPostgres.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        await using var gate = TcpGate.Start(cluster.Port);
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { Port = gate.Port }.ToString();
        using var host = StartHost(openAI, teams, discord, connectionString);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}") };
        await host.WaitUntilAsync(async () => (await HealthAsync(http)) == HttpStatusCode.OK && discord.Commands is not null, "a healthy host");
        var teamsMessage = Activities.FromFixture("personal_message.json", teams.ServiceUrl, "a:outage", "msg-teams");
        var discordMessages = new[] { Mention(discord, "1460000000000000101", "msg-d1"), Mention(discord, "1460000000000000102", "msg-d2") };

        var down = Stopwatch.StartNew();
        gate.Close();
        await host.WaitUntilAsync(async () => await HealthAsync(http) == HttpStatusCode.ServiceUnavailable, "/healthz unhealthy");
        var refused = await PostAsync(http, teamsMessage, teams.CreateToken());
        foreach (var message in discordMessages)
            await discord.Gateway.DispatchAsync("MESSAGE_CREATE", message);
        await Task.Delay(s_outage - down.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        var refusedAgain = await PostAsync(http, teamsMessage, teams.CreateToken());
        var healthDuring = await HealthAsync(http);
        gate.Open();

        await host.WaitUntilAsync(async () => await HealthAsync(http) == HttpStatusCode.OK, "/healthz healthy again");
        // The Bot Connector delivers the refused activity again: now it is stored and answered.
        var redelivered = await PostAsync(http, teamsMessage, teams.CreateToken());
        await host.WaitUntilAsync(() => teams.Requests.Any(r => r.ConversationId == "a:outage" && r.StreamType == "final"), "the Teams answer");
        var lastDiscord = discordMessages[^1]["id"]!.GetValue<string>();
        await host.WaitUntilAsync(() => discord.Messages.Any(m => m.ReplyTo == lastDiscord && !m.HasStopButton), "the Discord answer");
        var duplicate = await PostAsync(http, teamsMessage, teams.CreateToken());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDuring);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.False(host.HasExited);
        var asked = openAI.ResponseRequests.Select(r => r.UserText).ToList();
        Assert.Single(asked, t => t.Contains("msg-teams", StringComparison.Ordinal));
        Assert.Single(teams.Requests, r => r.ConversationId == "a:outage" && r.StreamType == "final");
        // Both Discord messages reached the assistant once, in the order they were sent.
        var discordText = string.Join("\n", asked.Where(t => t.Contains("msg-d", StringComparison.Ordinal)));
        Assert.Equal(1, Occurrences(discordText, "msg-d1"));
        Assert.Equal(1, Occurrences(discordText, "msg-d2"));
        Assert.True(discordText.IndexOf("msg-d1", StringComparison.Ordinal) < discordText.IndexOf("msg-d2", StringComparison.Ordinal), discordText);
        Assert.Contains("waits in memory", host.Log, StringComparison.Ordinal);
    }

    private static JsonObject Mention(FakeDiscordServer discord, string id, string text)
    {
        var message = discord.Fixture("message_create_guild_bot_mention.json");
        message["id"] = id;
        message["content"] = $"<@{discord.BotUserId}> {text}";
        return message;
    }

    private static HostProcess StartHost(FakeOpenAIServer openAI, FakeTeamsServer teams, FakeDiscordServer discord, string connectionString) =>
        HostProcess.Start(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Provider", "Postgres",
            "--Storage:Postgres:ConnectionString", connectionString,
            "--Cluster:InstanceId", "outage",
            "--Teams:AppId", FakeTeamsServer.AppId,
            "--Teams:AppPassword", FakeTeamsServer.AppPassword,
            "--Teams:OpenIdMetadataUrl", teams.OpenIdMetadataUrl,
            "--Teams:LoginEndpoint", teams.LoginEndpoint,
            "--Teams:ServiceUrlHosts:0", teams.BaseUri.Authority,
            "--Discord:Token", discord.Token,
            "--Discord:RestBaseUrl", discord.RestBaseUri.ToString(),
            "--Discord:GatewayUrl", discord.GatewayUri().ToString(),
            "--Discord:EditInterval", "00:00:00.300",
        ]);

    private static async Task<HttpStatusCode?> HealthAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/healthz")).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, JsonObject activity, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
