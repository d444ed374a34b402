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

    private TeamsHarness(WebApplication app, TempDirectory folder, FakeTeamsServer teams, FakeOpenAIServer openAI, Uri baseUri)
    {
        _app = app;
        _folder = folder;
        Teams = teams;
        OpenAI = openAI;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public FakeTeamsServer Teams { get; }

    public FakeOpenAIServer OpenAI { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TeamsHarness> StartAsync(IDictionary<string, string?>? settings = null, bool withAppId = true)
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
        var app = builder.Build();
        app.MapTeamsChannel();
        return new TeamsHarness(app, folder, teams, openAI, await LoopbackHost.StartAsync(app));
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

    /// <summary>A recorded activity (tests/fixtures/teams) made to come from this fake: serviceUrl, bot id, a fresh activity id.</summary>
    public JsonObject Fixture(string name, string? conversationId = null, string? text = null) =>
        Activities.FromFixture(name, Teams.ServiceUrl, conversationId, text);

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
