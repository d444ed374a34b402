using Bot.Core.Channels;
using Bot.Core.Conversations;
using Microsoft.AspNetCore.Builder;
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
    /// Adds the Teams channel when <c>Teams:AppId</c> is set (or <c>Teams:LocalMode</c> is true): options validated at
    /// start, token validation, the Connector client, the channel and the hosted service that registers it.
    /// </summary>
    public static IServiceCollection AddTeamsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TeamsOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section["AppId"]) && !section.GetValue<bool>("LocalMode"))
            return services;

        services.AddOptions<TeamsOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();
        services.AddSingleton(sp => new TeamsComposition(
            sp.GetRequiredService<IOptions<TeamsOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<ConversationService>,
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        services.AddHostedService<TeamsChannelService>();
        return services;
    }

    /// <summary>Maps <c>POST /api/messages</c> if the Teams channel was added.</summary>
    public static IEndpointRouteBuilder MapTeamsChannel(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<TeamsComposition>() is { } teams)
            endpoints.MapPost("/api/messages", teams.Endpoint.HandleAsync);
        return endpoints;
    }
}

/// <summary>Registers the channel with the core when the host starts and picks up unanswered messages.</summary>
internal sealed class TeamsChannelService(TeamsComposition teams, ChannelRegistry registry, ConversationService conversations) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Register(teams.Channel);
        if (teams.Options.Authenticated)
            Log.Ready(teams.Logger, teams.Options.AppType.ToString());
        else
            Log.LocalMode(teams.Logger);
        await conversations.RecoverAsync(TeamsChannelName, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private const string TeamsChannelName = Adapter.TeamsChannel.ChannelName;
}
