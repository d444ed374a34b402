using Microsoft.Extensions.Options;

namespace Bot.Host.Terminal;

/// <summary>Registers the terminal chat.</summary>
internal static class TerminalServiceCollectionExtensions
{
    /// <summary>Adds the terminal channel on <paramref name="input"/> and <paramref name="output"/>; tool status goes to <paramref name="error"/>.</summary>
    public static IServiceCollection AddTerminalChat(this IServiceCollection services, IConfiguration configuration, TextReader input, TextWriter output,
        TextWriter error)
    {
        services.AddOptions<TerminalOptions>().Bind(configuration.GetSection(TerminalOptions.SectionName));
        services.AddSingleton(sp => new TerminalChannel(output, error, sp.GetRequiredService<IOptions<TerminalOptions>>().Value));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TerminalChatService>(sp,
            sp.GetRequiredService<IOptions<TerminalOptions>>().Value, input, output));
        return services;
    }
}
