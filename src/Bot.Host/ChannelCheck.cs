using Bot.Core.Channels;

namespace Bot.Host;

/// <summary>
/// Tells the operator at start which chat channels run, or, when none has credentials, how to talk to the bot anyway.
/// It reads the channels' own registrations (each adapter's <c>Add…</c> method decides whether its channel is enabled).
/// </summary>
internal sealed partial class ChannelCheck(IEnumerable<ChannelRegistration> registrations, ILogger<ChannelCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var channels = registrations.Where(r => r.Enabled).Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList();
        if (channels.Count == 0)
            NoChannels(logger);
        else
            Channels(logger, string.Join(", ", channels));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4000, LogLevel.Warning,
        "No chat channel is configured, so only /healthz is served. To talk to the bot here, run: dotnet run --project src/Bot.Host -- chat " +
        "(or set Web__Enabled=true for the web chat, Discord__Token for Discord, Teams__AppId for Teams)")]
    private static partial void NoChannels(ILogger logger);

    [LoggerMessage(4001, LogLevel.Information, "Chat channels: {Channels}")]
    private static partial void Channels(ILogger logger, string channels);
}
