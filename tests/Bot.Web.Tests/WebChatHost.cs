using System.Net;
using Bot.Core.DependencyInjection;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Postgres.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing.OpenAI;
using Bot.Web.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Web.Tests;

/// <summary>
/// The bot's server as the host composes it (SQLite store, Responses backend, core, web chat) on Kestrel at
/// 127.0.0.1 port 0, talking to the loopback OpenAI fake. <c>remoteAddress</c> makes every request look as
/// if it came from that address (or from the one in a request's <see cref="RemoteAddressHeader"/>), to test the
/// access rules for other machines. <c>configure</c> adds middleware in front of the chat (to abort a request, say).
/// </summary>
internal sealed class WebChatHost : IAsyncDisposable
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    private readonly WebApplication _app;

    private readonly StoreCalls? _storeCalls;

    private WebChatHost(WebApplication app, Uri baseUri, StoreCalls? storeCalls)
    {
        _app = app;
        BaseUri = baseUri;
        _storeCalls = storeCalls;
    }

    public Uri BaseUri { get; }

    /// <summary>What the bot wrote to its store (SQLite only).</summary>
    public StoreCalls StoreCalls => _storeCalls ?? throw new InvalidOperationException("Store calls are recorded on SQLite only.");

    public IServiceProvider Services => _app.Services;

    public static async Task<WebChatHost> StartAsync(FakeOpenAIServer openAI, string directory,
        IReadOnlyDictionary<string, string?>? settings = null, IPAddress? remoteAddress = null, Action<WebApplication>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = directory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BOT_TEST_LOG") == "1")
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Debug);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = FakeOpenAIServer.ApiKey,
            ["OpenAI:Endpoint"] = openAI.BaseUri.ToString(),
            ["OpenAI:Model"] = "gpt-test",
            ["OpenAI:RetryBaseDelay"] = "00:00:00.010",
            ["Storage:Sqlite:Path"] = Path.Combine(directory, "bot.db"),
            ["Web:Enabled"] = "true",
            ["Web:DataPath"] = Path.Combine(directory, "web"),
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);

        // A PostgreSQL connection string in the settings puts the store there (instances sharing one database).
        var postgres = !string.IsNullOrEmpty(builder.Configuration["Storage:Postgres:ConnectionString"]);
        if (postgres)
            builder.Services.AddPostgresStorage(builder.Configuration);
        else
            builder.Services.AddSqliteStorage(builder.Configuration);
        builder.Services.AddOpenAIBackend(builder.Configuration).AddBotCore(builder.Configuration).AddWebChat(builder.Configuration);
        var storeCalls = postgres ? null : StoreCalls.Register(builder.Services);
        var app = builder.Build();
        if (remoteAddress is not null)
        {
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.TryParse(context.Request.Headers[RemoteAddressHeader], out var given) ? given : remoteAddress;
                return next(context);
            });
        }

        configure?.Invoke(app);
        app.MapWebChat();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new WebChatHost(app, new Uri(app.Urls.First()), storeCalls?.Invoke());
    }

    /// <summary>A visitor: an HTTP client with its own cookies (the visitor id), sharing them across restarts when given.</summary>
    public WebChatClient Visitor(CookieContainer? cookies = null) => new(BaseUri, cookies ?? new CookieContainer());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
