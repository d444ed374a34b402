namespace Bot.Host;

/// <summary>Tells the operator at start which chat channels run, or, when none has credentials, how to talk to the bot anyway.</summary>
internal sealed partial class ChannelCheck(IConfiguration configuration, ILogger<ChannelCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var channels = ConfiguredChannels(configuration);
        if (channels.Count == 0)
            NoChannels(logger);
        else
            Channels(logger, string.Join(", ", channels));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The channels whose settings turn them on (each adapter checks the same keys when it registers).</summary>
    public static IReadOnlyList<string> ConfiguredChannels(IConfiguration configuration)
    {
        var channels = new List<string>();
        if (!string.IsNullOrWhiteSpace(configuration["Discord:Token"]))
            channels.Add("discord");
        if (!string.IsNullOrWhiteSpace(configuration["Teams:AppId"]) || configuration.GetValue<bool>("Teams:LocalMode"))
            channels.Add("teams");
        if (configuration.GetValue<bool>("Web:Enabled"))
            channels.Add("web");
        return channels;
    }

    [LoggerMessage(4000, LogLevel.Warning,
        "No chat channel is configured, so only /healthz is served. To talk to the bot here, run: dotnet run --project src/Bot.Host -- chat " +
        "(or set Web__Enabled=true for the web chat, Discord__Token for Discord, Teams__AppId for Teams)")]
    private static partial void NoChannels(ILogger logger);

    [LoggerMessage(4001, LogLevel.Information, "Chat channels: {Channels}")]
    private static partial void Channels(ILogger logger, string channels);
}
