using Bot.Core.DependencyInjection;
using Bot.Web.Access;
using Bot.Web.Api;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.DependencyInjection;

/// <summary>Registers the web chat channel and maps its page and API when <c>Web:Enabled</c> is true.</summary>
public static class WebChatServiceCollectionExtensions
{
    /// <summary>Adds the web chat (options from section <c>Web</c>, validated at start) when <c>Web:Enabled</c> is true; otherwise nothing.</summary>
    public static IServiceCollection AddWebChat(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetSection(WebChatOptions.SectionName).GetValue<bool>(nameof(WebChatOptions.Enabled)))
            return services;

        services.AddValidatedOptions<WebChatOptions>(configuration, WebChatOptions.SectionName);
        services.AddSingleton<WebChatMarker>();
        services.AddSingleton<WebThreadStore>();
        services.AddSingleton<WebChannel>();
        services.AddSingleton<WebSecret>();
        services.AddSingleton<HostGuard>();
        services.AddSingleton<AccessGate>();
        services.AddSingleton<KeyAttemptLimiter>();
        services.AddSingleton<StreamRegistry>();
        services.AddSingleton<VisitorDirectory>();
        services.AddSingleton<MessageIntake>();
        services.AddHostedService<WebChatService>();
        return services;
    }

    /// <summary>Maps the page at <c>/</c> and the API under <c>/api</c> when the web chat was added.</summary>
    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<WebChatMarker>() is not null)
            WebChatEndpoints.Map(endpoints);
        return endpoints;
    }

    private sealed class WebChatMarker;
}
