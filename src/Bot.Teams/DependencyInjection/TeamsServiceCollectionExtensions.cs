using Bot.Core.DependencyInjection;
using Bot.Core.Health;
using Bot.Teams.Adapter;
using Bot.Teams.Auth;
using Bot.Teams.Connector;
using Bot.Teams.Replies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Teams.DependencyInjection;

/// <summary>Registers the Teams channel and maps <c>POST /api/messages</c>.</summary>
public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Teams channel's registration, and when <c>Teams:AppId</c> is set (or <c>Teams:LocalMode</c> is true) its
    /// parts: options validated at start, token validation, the Connector client, the channel, the endpoint and the
    /// hosted service that starts the channel.
    /// </summary>
    public static IServiceCollection AddTeamsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TeamsOptions.SectionName);
        var enabled = !string.IsNullOrWhiteSpace(section[nameof(TeamsOptions.AppId)]) || section.GetValue<bool>(nameof(TeamsOptions.LocalMode));
        return services.AddChatChannel(TeamsChannel.ChannelName, enabled, parts =>
        {
            parts.AddOptions<TeamsOptions>().Bind(section).ValidateOnStart();
            parts.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();
            parts.AddOptionsValue<TeamsOptions>();
            parts.AddKeyedSingleton(TeamsHttp.ClientKey, (_, _) => TeamsHttp.Create());
            parts.AddSingleton<InboundAuthenticator>();
            parts.AddReadinessCheck("teams", sp => new TeamsReadiness(sp.GetRequiredService<InboundAuthenticator>()));
            parts.AddSingleton<IBotTokenProvider, BotTokenProvider>();
            parts.AddSingleton<ConversationPacer>();
            parts.AddSingleton<ConnectorClient>();
            parts.AddSingleton<StreamTracker>();
            parts.AddSingleton<AttachmentHosts>();
            parts.AddSingleton<TeamsChannel>();
            parts.AddSingleton<ApprovalSubmits>();
            parts.AddSingleton<TeamsCommands>();
            parts.AddSingleton<TeamsActivityHandler>();
            parts.AddSingleton<ServiceUrlPolicy>();
            parts.AddSingleton<TeamsEndpoint>();
            parts.AddHostedService<TeamsChannelService>();
        });
    }

    /// <summary>Maps <c>POST /api/messages</c> if the Teams channel is enabled.</summary>
    public static IEndpointRouteBuilder MapTeamsChannel(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        // The endpoint is resolved at the first request, not here: the host validates every setting before it builds
        // a service, so that all problems are reported together.
        if (ChannelRegistration.IsEnabled(services, TeamsChannel.ChannelName))
            endpoints.MapPost("/api/messages", (RequestDelegate)(context => services.GetRequiredService<TeamsEndpoint>().HandleAsync(context)));
        return endpoints;
    }
}

/// <summary>Starts the channel with the host: says how it authenticates, then registers it with the core and recovers.</summary>
internal sealed class TeamsChannelService(TeamsChannel channel, TeamsOptions options, ChannelStartup startup, ILogger<TeamsChannelService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Authenticated)
            Log.Ready(logger, options.AppType.ToString());
        else
            Log.LocalMode(logger);
        await startup.StartAsync(channel, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
