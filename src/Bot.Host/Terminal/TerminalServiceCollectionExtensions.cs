using Bot.Core.DependencyInjection;

namespace Bot.Host.Terminal;

/// <summary>Registers the terminal chat.</summary>
internal static class TerminalServiceCollectionExtensions
{
    /// <summary>Adds the terminal channel on <paramref name="input"/> and <paramref name="output"/>; tool status goes to <paramref name="error"/>.</summary>
    public static IServiceCollection AddTerminalChat(this IServiceCollection services, IConfiguration configuration, TextReader input, TextWriter output,
        TextWriter error) =>
        // The `chat` command is this channel's only switch: when it is added, it runs.
        services.AddChatChannel(TerminalChannel.ChannelName, enabled: true, parts =>
        {
            parts.AddValidatedOptions<TerminalOptions>(configuration, TerminalOptions.SectionName);
            parts.AddOptionsValue<TerminalOptions>();
            parts.AddSingleton(new TerminalConsole(input, output, error));
            parts.AddSingleton<TerminalChannel>();
            parts.AddHostedService<TerminalChatService>();
        });
}
