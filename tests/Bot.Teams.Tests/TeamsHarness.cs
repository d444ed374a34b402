using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.DependencyInjection;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Teams.DependencyInjection;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Teams.Tests;

/// <summary>
/// The bot as the host composes it (core, real Responses backend over HTTP to the OpenAI fake, SQLite in a temp
/// folder, the Teams channel) on Kestrel 127.0.0.1, with Teams settings pointing at the Bot Framework fake.
/// </summary>
internal sealed class TeamsHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _folder;
    private readonly ConcurrentQueue<long> _bodyReads;

    private TeamsHarness(WebApplication app, TempDirectory folder, FakeTeamsServer teams, FakeOpenAIServer openAI, Uri baseUri, ConcurrentQueue<long> bodyReads)
    {
        _app = app;
        _bodyReads = bodyReads;
        _folder = folder;
        Teams = teams;
        OpenAI = openAI;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public FakeTeamsServer Teams { get; }

    public FakeOpenAIServer OpenAI { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Bytes the bot read of each request body, in the order the requests finished.</summary>
    public IReadOnlyList<long> BodyBytesRead => [.. _bodyReads];

    /// <param name="services">Changes to the services after the host's own (for example a <see cref="Bot.Testing.Storage.StoreOutage"/>).</param>
    public static async Task<TeamsHarness> StartAsync(IDictionary<string, string?>? settings = null, bool withAppId = true,
        Action<IServiceCollection>? services = null)
    {
        var teams = await FakeTeamsServer.StartAsync();
        var openAI = await FakeOpenAIServer.StartAsync();
        var folder = new TempDirectory();
        var config = new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = FakeOpenAIServer.ApiKey,
            ["OpenAI:Endpoint"] = openAI.BaseUri.ToString(),
            ["OpenAI:Model"] = "gpt-test",
            ["OpenAI:RetryBaseDelay"] = "00:00:00.010",
            ["Storage:Sqlite:Path"] = folder.File("bot.db"),
            ["Teams:AppId"] = withAppId ? FakeTeamsServer.AppId : null,
            ["Teams:LocalMode"] = withAppId ? null : "true",
            ["Teams:AppPassword"] = withAppId ? FakeTeamsServer.AppPassword : null,
            ["Teams:OpenIdMetadataUrl"] = teams.OpenIdMetadataUrl,
            ["Teams:EntraOpenIdMetadataUrl"] = teams.EntraOpenIdMetadataUrl,
            ["Teams:LoginEndpoint"] = teams.LoginEndpoint,
            ["Teams:ManagedIdentityEndpoint"] = teams.ManagedIdentityEndpoint,
            ["Teams:AttachmentHosts:0"] = "127.0.0.1",
            // The Bot Framework fake is the one Connector host (port included): another loopback server is not.
            ["Teams:ServiceUrlHosts:0"] = teams.BaseUri.Authority,
            ["Teams:RetryBaseDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;

        var builder = LoopbackHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(config);
        if (Environment.GetEnvironmentVariable("BOT_TEST_LOGS") == "1")
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSqliteStorage(builder.Configuration).AddOpenAIBackend(builder.Configuration).AddBotCore(builder.Configuration);
        builder.Services.AddTeamsChannel(builder.Configuration);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        var bodyReads = new ConcurrentQueue<long>();
        app.Use(async (context, next) =>
        {
            // Counts what the endpoint reads of each request body, to see that it stops early.
            var counting = new CountingStream(context.Request.Body);
            context.Request.Body = counting;
            try
            {
                await next(context);
            }
            finally
            {
                bodyReads.Enqueue(counting.BytesRead);
            }
        });
        app.MapTeamsChannel();
        return new TeamsHarness(app, folder, teams, openAI, await LoopbackHost.StartAsync(app), bodyReads);
    }

    /// <summary>Posts an activity to /api/messages with a bearer token (none when null).</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    /// <summary>Posts with a valid token and expects 200.</summary>
    public async Task<HttpResponseMessage> SendAsync(JsonObject activity)
    {
        var response = await PostAsync(activity, Teams.CreateToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>Sends a personal message and waits until its answer's final message reached the Connector.</summary>
    public async Task AskAsync(JsonObject activity)
    {
        var conversation = Activities.ConversationId(activity);
        var before = Teams.Requests.Count(r => r.ConversationId == conversation && r.StreamType == "final");
        await SendAsync(activity);
        await Teams.WaitUntilAsync(r => r.Count(x => x.ConversationId == conversation && x.StreamType == "final") > before);
    }

    /// <summary>Sends an activity and waits for the next message the bot posts (not a stream update) in its conversation.</summary>
    public async Task<ConnectorRequest> ReplyOfAsync(JsonObject activity)
    {
        var conversation = Activities.ConversationId(activity);
        bool IsReply(ConnectorRequest r) => r.ConversationId == conversation && r.Method == "POST" && r.Type == "message" && !r.IsStreamRequest;
        var before = Teams.Requests.Count(IsReply);
        await SendAsync(activity);
        await Teams.WaitUntilAsync(r => r.Count(IsReply) > before);
        return Teams.Requests.Where(IsReply).Last();
    }

    /// <summary>
    /// Asserts that a refused activity started nothing: a valid message sent after it is answered, and by then nothing
    /// of the refused one is in the store's inbox, at the assistant or at the Connector.
    /// </summary>
    public async Task AssertNothingStartedAsync(JsonObject refused)
    {
        await AskAsync(Activities.Personal(Teams.ServiceUrl, "genuine"));
        var text = refused["text"]!.GetValue<string>();
        Assert.DoesNotContain(await InboxAsync(), row => row.Text.Contains(text, StringComparison.Ordinal));
        Assert.DoesNotContain(OpenAI.ResponseRequests, r => r.UserText.Contains(text, StringComparison.Ordinal));
        Assert.DoesNotContain(Teams.Requests, r => r.ConversationId == Activities.ConversationId(refused));
    }

    /// <summary>A recorded activity (tests/fixtures/teams) made to come from this fake: serviceUrl, bot id, a fresh activity id.</summary>
    public JsonObject Fixture(string name, string? conversationId = null, string? text = null) =>
        Activities.FromFixture(name, Teams.ServiceUrl, conversationId, text);

    /// <summary>The conversation key and text of every message the store accepted, read from the SQLite file.</summary>
    public async Task<IReadOnlyList<(string Conversation, string Text)>> InboxAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_folder.File("bot.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT chat_conversation_id, text FROM inbox ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Teams.DisposeAsync();
        await OpenAI.DisposeAsync();
        _folder.Dispose();
    }
}
