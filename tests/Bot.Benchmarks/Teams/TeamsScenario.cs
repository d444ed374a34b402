using System.Collections.Concurrent;
using System.Diagnostics;
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

namespace Bot.Benchmarks.Teams;

/// <summary>
/// The Teams channel under load: N concurrent personal chats, each a signed activity on /api/messages, answered by
/// the real Responses backend (OpenAI fake in its own process) as a Teams stream through the Bot Framework fake,
/// which enforces Teams' limits (429 on more than 7 writes a second per thread or one stream request a second).
/// Measures when the informative update and the first text reach the Connector after the activity was sent, the
/// streaming-update rate per stream while the text grows, requests per second per conversation and 429s.
/// </summary>
internal sealed partial class TeamsScenario : IChannelScenario
{
    public const int Conversations = 200;

    /// <summary>An answer long enough (about 12 s at the default 20 ms per token) to see the update rate settle.</summary>
    private const int Tokens = 600;

    private const string ChatHeader = "x-bench-chat";

    public string Name => "teams";

    public async Task<object> RunAsync(BenchmarkOptions options)
    {
        var fakeOptions = options with { Tokens = Math.Max(options.Tokens, Tokens) };
        await using var openAI = await FakeProcess.StartAsync(fakeOptions);
        await using var teams = await FakeTeamsServer.StartAsync();
        using var folder = new TempDirectory();
        await using var bot = await StartBotAsync(openAI.BaseUri, teams, folder);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = bot.BaseUri, Timeout = TimeSpan.FromMinutes(2) };

        // Warm-up: unmeasured rounds of as many chats (fast answers), so that the JIT has compiled the paths and the
        // client's connections are open, as in a bot that has been up for a while.
        for (var round = 0; round < 2; round++)
            await RunChatsAsync(http, teams, Conversations, Answers.WarmUpPrefix, $"warm{round}");
        var startRequests = teams.Requests.Count;
        var throttledBefore = teams.Throttled;

        var clock = Stopwatch.StartNew();
        var sent = await RunChatsAsync(http, teams, Conversations, Answers.LoadPrefix, "load");
        var wall = clock.Elapsed;
        return Measure(teams.Requests.Skip(startRequests).ToList(), sent, bot.Arrivals, wall, teams.Throttled - throttledBefore, options);
    }

    /// <summary>Sends one message into each of <paramref name="count"/> new personal chats at once; waits until every final arrived.</summary>
    private static async Task<Dictionary<string, DateTimeOffset>> RunChatsAsync(HttpClient http, FakeTeamsServer teams, int count, string prefix, string tag)
    {
        var chats = Enumerable.Range(0, count).Select(i => (Conversation: $"a:{tag}-{i}-{Guid.NewGuid():N}", Text: $"{prefix} teams {i}: how do streams work?",
            Token: teams.CreateToken())).ToList();
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var finalsBefore = teams.Finals;
        var posts = chats.Select(async chat =>
        {
            var body = Activity(teams, chat.Conversation, chat.Text).ToJsonString();
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
            request.Headers.Add(ChatHeader, chat.Conversation);
            var at = DateTimeOffset.UtcNow;
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"/api/messages answered {(int)response.StatusCode}");
            lock (sent)
                sent[chat.Conversation] = at;
        });
        await Task.WhenAll(posts);
        // Counted by the fake as they come (scanning the record on every request would load the machine being measured).
        await teams.WaitForFinalsAsync(finalsBefore + count, TimeSpan.FromMinutes(5));
        return sent;
    }

    private static JsonObject Activity(FakeTeamsServer teams, string conversation, string text) =>
        Activities.FromFixture("personal_message.json", teams.ServiceUrl, conversation, text);

    private static async Task<RunningBot> StartBotAsync(Uri openAI, FakeTeamsServer teams, TempDirectory folder)
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = FakeOpenAIServer.ApiKey,
            ["OpenAI:Endpoint"] = openAI.ToString(),
            ["Storage:Sqlite:Path"] = folder.File("bot.db"),
            ["Conversations:MaxConcurrentTurns"] = "256",
            ["Teams:AppId"] = FakeTeamsServer.AppId,
            ["Teams:AppPassword"] = FakeTeamsServer.AppPassword,
            ["Teams:OpenIdMetadataUrl"] = teams.OpenIdMetadataUrl,
            ["Teams:LoginEndpoint"] = teams.LoginEndpoint,
            ["Teams:ServiceUrlHosts:0"] = teams.BaseUri.Authority,
        });
        builder.Services.AddSqliteStorage(builder.Configuration).AddOpenAIBackend(builder.Configuration).AddBotCore(builder.Configuration);
        builder.Services.AddTeamsChannel(builder.Configuration);
        var app = builder.Build();
        var arrivals = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        app.Use((context, next) =>
        {
            // When the activity reached the bot (the benchmark's own header names the chat; the bot never reads it).
            if (context.Request.Headers[ChatHeader].ToString() is { Length: > 0 } chat)
                arrivals[chat] = DateTimeOffset.UtcNow;
            return next(context);
        });
        app.MapTeamsChannel();
        return new RunningBot(app, await LoopbackHost.StartAsync(app), arrivals);
    }

    private sealed class RunningBot(WebApplication app, Uri baseUri, ConcurrentDictionary<string, DateTimeOffset> arrivals) : IAsyncDisposable
    {
        public Uri BaseUri { get; } = baseUri;

        public ConcurrentDictionary<string, DateTimeOffset> Arrivals { get; } = arrivals;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
