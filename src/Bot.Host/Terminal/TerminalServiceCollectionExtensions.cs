using Microsoft.Extensions.Options;

namespace Bot.Host.Terminal;

/// <summary>Registers the terminal chat.</summary>
internal static class TerminalServiceCollectionExtensions
{
    public static IServiceCollection AddTerminalChat(this IServiceCollection services, IConfiguration configuration, TextReader input, TextWriter output)
    {
        services.AddOptions<TerminalOptions>().Bind(configuration.GetSection(TerminalOptions.SectionName));
        services.AddSingleton(sp => new TerminalChannel(output, sp.GetRequiredService<IOptions<TerminalOptions>>().Value));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TerminalChatService>(sp,
            sp.GetRequiredService<IOptions<TerminalOptions>>().Value, input, output));
        return services;
    }
}
