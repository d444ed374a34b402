using Bot.Core.DependencyInjection;
using Bot.Discord.DependencyInjection;
using Bot.Host.Health;
using Bot.Host.Telemetry;
using Bot.Host.Terminal;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Postgres.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Teams.DependencyInjection;
using Bot.Web.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Host;

/// <summary>Composition of the bot: the same core, backend and store for every way of running it.</summary>
public static class BotApplication
{
    /// <summary>The terminal chat: one conversation on stdin/stdout, logs on stderr.</summary>
    public static async Task<int> RunChatAsync(string[] args, TextReader? input = null, TextWriter? output = null, TextWriter? error = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.UseConfiguredFormat(builder.Configuration);
        builder.Services.AddBot(builder.Configuration);
        error ??= Console.Error;
        builder.Services.AddTerminalChat(builder.Configuration, input ?? Console.In, output ?? Console.Out, error);
        using var host = builder.Build();
        return await StartupErrors.RunAsync(host, error).ConfigureAwait(false);
    }

    /// <summary>The server: chat channels that have credentials, <c>/healthz</c>, and <c>/metrics</c> when configured.</summary>
    public static Task<int> RunServerAsync(string[] args, TextWriter? error = null, CancellationToken cancellationToken = default) =>
        RunServerAsync(args, error, configure: null, cancellationToken);

    /// <summary>The server, with a last word on its services (tests add log and trace listeners here).</summary>
    internal static async Task<int> RunServerAsync(string[] args, TextWriter? error, Action<WebApplicationBuilder>? configure,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.UseConfiguredFormat(builder.Configuration);
        builder.AddBotTelemetry();
        builder.Services.AddBot(builder.Configuration);
        builder.Services.AddDiscordChannel(builder.Configuration);
        builder.Services.AddTeamsChannel(builder.Configuration);
        builder.Services.AddWebChat(builder.Configuration);
        builder.Services.AddBotHealth();
        builder.Services.AddHostedService<ChannelCheck>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseBotMetrics();
        app.MapBotHealth();
        app.MapTeamsChannel();
        app.MapWebChat();
        return await StartupErrors.RunAsync(app, error ?? Console.Error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The services every mode shares: core, OpenAI backend, store.</summary>
    public static IServiceCollection AddBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageSelection>().Bind(configuration.GetSection("Storage")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageSelection>, StorageSelectionValidator>();
        // An unknown provider gets SQLite's registration here and the validator's message at start.
        if (StorageSelection.IsPostgres(configuration))
            services.AddPostgresStorage(configuration);
        else
            services.AddSqliteStorage(configuration);
        return services
            .AddOpenAIBackend(configuration)
            .AddBotCore(configuration);
    }
}
