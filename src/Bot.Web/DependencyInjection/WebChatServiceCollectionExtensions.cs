using Bot.Core.Channels;
using Bot.Core.DependencyInjection;
using Bot.Web.Access;
using Bot.Web.Api;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.DependencyInjection;

/// <summary>Registers the web chat channel; it runs, and its page and API are mapped, only when <c>Web:Enabled</c> is true.</summary>
public static class WebChatServiceCollectionExtensions
{
    /// <summary>
    /// Adds the web chat's registration, and when <c>Web:Enabled</c> is true its parts: options from section <c>Web</c>
    /// (validated at start), threads, access, the API's collaborators and the hosted service that starts the channel.
    /// </summary>
    public static IServiceCollection AddWebChat(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var enabled = configuration.GetSection(WebChatOptions.SectionName).GetValue<bool>(nameof(WebChatOptions.Enabled));
        return services.AddChatChannel(WebChannel.ChannelName, enabled, parts =>
        {
            parts.AddValidatedOptions<WebChatOptions>(configuration, WebChatOptions.SectionName);
            parts.AddSingleton<WebEventRelay>();
            parts.AddSingleton<WebThreadStore>();
            parts.AddSingleton<WebChannel>();
            parts.AddSingleton<WebSecret>();
            parts.AddSingleton<HostGuard>();
            parts.AddSingleton<AccessGate>();
            parts.AddSingleton<KeyAttemptLimiter>();
            parts.AddSingleton<StreamRegistry>();
            parts.AddSingleton<VisitorDirectory>();
            parts.AddSingleton<MessageIntake>();
            parts.AddHostedService<WebChatService>();
        });
    }

    /// <summary>Maps the page at <c>/</c> and the API under <c>/api</c> when the web chat is enabled.</summary>
    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (ChannelRegistration.IsEnabled(endpoints.ServiceProvider, WebChannel.ChannelName))
            WebChatEndpoints.Map(endpoints);
        return endpoints;
    }
}
