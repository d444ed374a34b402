using Bot.Core.Channels;
using Bot.Web.Access;
using Bot.Web.Threads;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Web;

/// <summary>Starts the web channel (its folder and secret first, then <see cref="ChannelStartup"/>); saves transcripts at the end.</summary>
internal sealed class WebChatService(
    ChannelStartup startup,
    WebChannel channel,
    WebThreadStore threads,
    AccessGate gate,
    WebSecret secret,
    IHostApplicationLifetime lifetime,
    ILogger<WebChatService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        threads.CreateRoot();
        await secret.LoadAsync(cancellationToken).ConfigureAwait(false);
        await startup.StartAsync(channel, cancellationToken).ConfigureAwait(false);
        // Turns that end while the host stops write their last words after this service stopped.
        lifetime.ApplicationStopped.Register(() => threads.SaveAllAsync(CancellationToken.None).GetAwaiter().GetResult());
        Log.Started(logger, gate.HasKeys ? "loopback, and other addresses with an access key" : "loopback only");
    }

    public Task StopAsync(CancellationToken cancellationToken) => threads.SaveAllAsync(cancellationToken);
}
