using Bot.Core.Channels;
using Bot.Web.Access;
using Bot.Web.Threads;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Web;

/// <summary>
/// Starts the web channel (its folder, secret and relay between instances first, then <see cref="ChannelStartup"/>);
/// saves transcripts and passes the last events on at the end.
/// </summary>
internal sealed class WebChatService(
    ChannelStartup startup,
    WebChannel channel,
    WebThreadStore threads,
    AccessGate gate,
    WebSecret secret,
    WebEventRelay relay,
    IHostApplicationLifetime lifetime,
    ILogger<WebChatService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        threads.CreateRoot();
        await secret.LoadAsync(cancellationToken).ConfigureAwait(false);
        await relay.StartAsync(cancellationToken).ConfigureAwait(false);
        await startup.StartAsync(channel, cancellationToken).ConfigureAwait(false);
        // Turns that end while the host stops write their last words after this service stopped.
        lifetime.ApplicationStopped.Register(() => threads.SaveAllAsync(CancellationToken.None).GetAwaiter().GetResult());
        Log.Started(logger, gate.HasKeys ? "loopback, and other addresses with an access key" : "loopback only");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await threads.SaveAllAsync(cancellationToken).ConfigureAwait(false);
        await relay.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
