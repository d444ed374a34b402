namespace Bot.Host;

/// <summary>Tells the operator at start when no chat channel has credentials, and how to talk to the bot anyway.</summary>
internal sealed partial class ChannelCheck(ILogger<ChannelCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        NoChannels(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4000, LogLevel.Warning,
        "No chat channel is configured, so only /healthz is served. To talk to the bot here, run: dotnet run --project src/Bot.Host -- chat")]
    private static partial void NoChannels(ILogger logger);
}
