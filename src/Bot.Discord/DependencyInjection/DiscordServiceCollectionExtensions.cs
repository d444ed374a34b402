using Bot.Core.DependencyInjection;
using Bot.Core.Health;
using Bot.Core.Moderation;
using Bot.Discord.Adapter;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Discord.DependencyInjection;

/// <summary>Registers the Discord channel; it runs only when <c>Discord:Token</c> is set.</summary>
public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Discord channel's registration, and when <c>Discord:Token</c> is set its parts: the options (section
    /// <c>Discord</c>, validated at start), the REST and gateway clients, the channel, the router and interaction
    /// handler, and the hosted service that connects and starts the channel at the first READY.
    /// </summary>
    public static IServiceCollection AddDiscordChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var enabled = !string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.SectionName}:{nameof(DiscordOptions.Token)}"]);
        return services.AddChatChannel(DiscordChannel.ChannelName, enabled, parts =>
        {
            parts.AddValidatedOptions<DiscordOptions>(configuration, DiscordOptions.SectionName);
            parts.AddOptionsValue<DiscordOptions>();
            parts.AddSingleton<DiscordRestClient>();
            parts.AddSingleton<DiscordGatewayClient>();
            parts.AddSingleton<RestBudget>();
            parts.AddSingleton<ShardCoordinator>();
            parts.AddSingleton<GuildDirectory>();
            parts.AddSingleton<AccessPolicy>();
            parts.AddSingleton<DiscordPlaces>();
            parts.AddSingleton<SettingsInteractions>();
            parts.AddSingleton<RunningReplies>();
            parts.AddSingleton<PostedApprovals>();
            parts.AddSingleton<ApprovalClicks>();
            parts.AddSingleton<DiscordChannel>();
            parts.AddSingleton<MessageRouter>();
            parts.AddSingleton<MessageIntake>();
            parts.AddSingleton<InteractionHandler>();
            parts.AddSingleton<IModerationAlerts>(sp => ActivatorUtilities.CreateInstance<DiscordModerationAlerts>(sp,
                sp.GetRequiredService<IOptions<ModerationOptions>>().Value));
            parts.AddSingleton<DiscordBotService>();
            parts.AddHostedService(sp => sp.GetRequiredService<DiscordBotService>());
            parts.AddReadinessCheck("discord", sp => new DiscordReadiness(sp.GetRequiredService<DiscordBotService>()));
        });
    }
}
