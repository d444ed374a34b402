using Bot.Core.Tools;
using Bot.Core.Tools.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.DependencyInjection;

/// <summary>Registers the HTTP function tools that configuration declares (<c>Tools:Http:{i}:*</c>).</summary>
public static class HttpToolsServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="IFunctionTool"/> per configured HTTP tool, with the options validated at start (every key at
    /// fault named, names checked against the other function tools too).
    /// </summary>
    public static IServiceCollection AddHttpTools(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(HttpToolClient)))
            return services;

        services.AddOptions<HttpToolsOptions>().Configure(options => options.Read(configuration.GetSection(HttpToolsOptions.SectionName))).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpToolsOptions>>(sp => new HttpToolsOptionsValidator(configuration,
            () => sp.GetServices<IFunctionTool>().Where(t => t is not HttpFunctionTool).Select(t => t.Name)));
        services.AddSingleton<HttpToolClient>();

        // The tools are fixed at start, so their number is read once here; each reads its definition on first use.
        var count = configuration.GetSection($"{HttpToolsOptions.SectionName}:Http").GetChildren().Count();
        for (var i = 0; i < count; i++)
        {
            var index = i;
            services.AddSingleton<IFunctionTool>(sp => ActivatorUtilities.CreateInstance<HttpFunctionTool>(sp, index));
        }

        return services;
    }
}
