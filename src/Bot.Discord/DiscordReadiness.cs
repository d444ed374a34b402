using Bot.Core.Health;

namespace Bot.Discord;

/// <summary>The Discord channel's readiness: the gateway said READY and no fatal close (such as 4014) stopped it.</summary>
internal sealed class DiscordReadiness(DiscordBotService service) : IReadinessCheck
{
    public string Name => "discord";

    public Readiness Check() => service.Readiness;
}
