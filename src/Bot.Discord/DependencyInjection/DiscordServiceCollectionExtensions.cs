using Bot.Core.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.DependencyInjection;

/// <summary>Registers the Discord channel; it starts only when <c>Discord:Token</c> is set.</summary>
public static class DiscordServiceCollectionExtensions
{
    public static IServiceCollection AddDiscordChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<DiscordOptions>(configuration, DiscordOptions.SectionName);
        services.AddSingleton<DiscordBotService>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordBotService>());
        return services;
    }
}
