using Bot.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Testing.OpenAI;
using Bot.Testing.Postgres;
using Bot.Testing.Teams;

namespace Bot.Host.Tests;

/// <summary>
/// Teams behind a load balancer without sticky sessions: two Bot.Host processes (<c>dotnet Bot.Host.dll</c>) on one
/// PostgreSQL database, the activities of one conversation delivered to them in turn, each answered exactly once, in
/// order, one response at a time; and one of them killed while it answers (a plain stream is lost and its user told once,
/// a background response is finished by the other into the same message).
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
        using var first = HostProcess.Start(["--Cluster:InstanceId", "first", .. Arguments(openAI, teams, cluster.ConnectionString(database))]);
        using var second = HostProcess.Start(["--Cluster:InstanceId", "second", .. Arguments(openAI, teams, cluster.ConnectionString(database))]);
        using var toFirst = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.Port}") };
        using var toSecond = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.Port}") };
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
    }

    [Fact]
    public async Task A_killed_host_process_is_taken_over_by_the_other_its_user_told_once_and_the_waiting_message_answered_once()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        await using var teams = await FakeTeamsServer.StartAsync();
        var cluster = await ThrowawayPostgres.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        // The first answer streams slowly: the process that runs it is killed halfway.
        openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(500)).Text(string.Join(' ', Enumerable.Repeat("slowly", 60))));
        // Plain streaming: the killed process's stream dies with it, so the answer is lost and the user told once. (A
        // background response outlives it and the survivor finishes it: the next test.)
        string[] arguments = [.. Arguments(openAI, teams, cluster.ConnectionString(database)), "--OpenAI:Background", "false"];
        var (killed, survivor) = await StartPairAsync(arguments);
        using var _ = killed.Process;
        using var __ = survivor.Process;

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(killed.Http, Message(teams, "msg00"), teams.CreateToken())).StatusCode);
        await teams.WaitUntilAsync(requests => requests.Any(r => r.ConversationId == "a:crash" && r.StreamType == "streaming"));
        // Either instance may have taken the conversation (the other's poll can be first): the one that runs it is killed.
        (killed, survivor) = await HolderFirstAsync(cluster.ConnectionString(database), killed, survivor);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(survivor.Http, Message(teams, "msg01"), teams.CreateToken())).StatusCode);
        killed.Process.Kill();

        await teams.WaitUntilAsync(requests => requests.Any(r => r.ConversationId == "a:crash" && r.Text?.Contains("msg01", StringComparison.Ordinal) == true
            && r.StreamType == "final"), TimeSpan.FromSeconds(60));

        Assert.Equal(["msg00", "msg01"], Sent(openAI));
        // Told once: one message (streamed, then final) says the answer was interrupted.
        Assert.Single(teams.Requests, r => r.ConversationId == "a:crash" && r.StreamType == "final"
            && r.Text?.Contains("restarted while answering", StringComparison.Ordinal) == true);
        Assert.Single(teams.Requests, r => r.ConversationId == "a:crash" && r.StreamType == "final" && r.Text?.Contains("msg01", StringComparison.Ordinal) == true);
        Assert.Equal(1, openAI.MaxConcurrentResponsesPerConversation);
    }

    [Fact]
    public async Task A_killed_host_process_s_background_answer_is_finished_by_the_other_into_the_same_message_and_asked_for_once()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        await using var teams = await FakeTeamsServer.StartAsync();
        var cluster = await ThrowawayPostgres.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        // A background response (the default) goes on at the service when the process that streams it dies.
        var answer = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"slow{i}"));
        openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(200)).Text(answer));
        var arguments = Arguments(openAI, teams, cluster.ConnectionString(database));
        var (killed, survivor) = await StartPairAsync(arguments);
        using var _ = killed.Process;
        using var __ = survivor.Process;

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(killed.Http, Message(teams, "msg00"), teams.CreateToken())).StatusCode);
        await teams.WaitUntilAsync(requests => requests.Any(r => r.ConversationId == "a:crash" && r.Text?.Contains("slow5 ", StringComparison.Ordinal) == true));
        (killed, survivor) = await HolderFirstAsync(cluster.ConnectionString(database), killed, survivor);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(survivor.Http, Message(teams, "msg01"), teams.CreateToken())).StatusCode);
        killed.Process.Kill();

        await teams.WaitUntilAsync(requests => requests.Any(r => r.ConversationId == "a:crash" && r.Text?.Contains("msg01", StringComparison.Ordinal) == true
            && r.StreamType == "final"), TimeSpan.FromSeconds(60));

        // The half-streamed message was updated in place to the whole answer by the survivor, before msg01 was answered.
        var streamed = teams.Requests.First(r => r.ConversationId == "a:crash" && r.Text?.Contains("slow", StringComparison.Ordinal) == true && r.Status < 300);
        var whole = Assert.Single(teams.Requests, r => r.ConversationId == "a:crash" && r.Method == "PUT" && r.Text == answer);
        Assert.NotNull(whole.ActivityId);
        Assert.DoesNotContain(teams.Requests, r => r.ConversationId == "a:crash" && r.Text?.Contains("restarted while answering", StringComparison.Ordinal) == true);
        Assert.True(streamed.At < whole.At);
        Assert.Equal(["msg00", "msg01"], Sent(openAI)); // the first answer was asked for once, finished from the stored response
        Assert.Equal(1, openAI.MaxConcurrentResponsesPerConversation);
    }

    /// <summary>One of two hosts of a test, with a client for its endpoints.</summary>
    private sealed record Instance(string Id, HostProcess Process, HttpClient Http);

    private static async Task<(Instance First, Instance Second)> StartPairAsync(string[] arguments)
    {
        var first = new Instance("first", HostProcess.Start(["--Cluster:InstanceId", "first", .. arguments]), new HttpClient());
        var second = new Instance("second", HostProcess.Start(["--Cluster:InstanceId", "second", .. arguments]), new HttpClient());
        first.Http.BaseAddress = new Uri($"http://127.0.0.1:{first.Process.Port}");
        second.Http.BaseAddress = new Uri($"http://127.0.0.1:{second.Process.Port}");
        await WaitForHealthAsync(first.Http);
        await WaitForHealthAsync(second.Http);
        return (first, second);
    }

    // The instance that holds the crash conversation's lease first, the other second.
    private static async Task<(Instance Holder, Instance Other)> HolderFirstAsync(string connectionString, Instance a, Instance b)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT owner_instance_id FROM conversation_leases WHERE chat_conversation_id LIKE '%a:crash%'", connection);
        var owner = (string?)await command.ExecuteScalarAsync();
        Assert.NotNull(owner);
        return owner == a.Id ? (a, b) : (b, a);
    }

    private static JsonObject Message(FakeTeamsServer teams, string text) =>
        Activities.FromFixture("personal_message.json", teams.ServiceUrl, "a:crash", text);

    private static string[] Arguments(FakeOpenAIServer openAI, FakeTeamsServer teams, string connectionString) =>
    [
        "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
        "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
        "--Storage:Provider", "Postgres",
        "--Storage:Postgres:ConnectionString", connectionString,
        "--Cluster:LeaseTimeout", "00:00:02",
        "--Teams:AppId", FakeTeamsServer.AppId,
        "--Teams:AppPassword", FakeTeamsServer.AppPassword,
        "--Teams:OpenIdMetadataUrl", teams.OpenIdMetadataUrl,
        "--Teams:LoginEndpoint", teams.LoginEndpoint,
        "--Teams:ServiceUrlHosts:0", teams.BaseUri.Authority,
    ];

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

    [GeneratedRegex(@"msg\d\d")]
    private static partial Regex MessageText();
}
