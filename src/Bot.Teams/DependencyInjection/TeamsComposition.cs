using Bot.Core.Conversations;
using Bot.Teams.Adapter;
using Bot.Teams.Auth;
using Bot.Teams.Connector;
using Bot.Teams.Replies;
using Microsoft.Extensions.Logging;

namespace Bot.Teams.DependencyInjection;

/// <summary>The Teams channel's parts, wired once (also by tests and benchmarks, which bring their own host).</summary>
internal sealed class TeamsComposition : IDisposable
{
    private readonly HttpClient _http;

    public TeamsComposition(TeamsOptions options, TimeProvider time, ILoggerFactory loggers, Func<ConversationService> conversations,
        CancellationToken stopping)
    {
        Options = options;
        Logger = loggers.CreateLogger("Bot.Teams");
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 256,
        })
        { Timeout = TimeSpan.FromSeconds(60) };

        var botFrameworkKeys = new SigningKeyCache(options.OpenIdMetadataUrl, _http, time, Logger);
        var entraKeys = new SigningKeyCache(options.EntraOpenIdMetadataUrl, _http, time, Logger);
        Authenticator = new InboundAuthenticator(options, botFrameworkKeys, entraKeys);
        Tokens = new BotTokenProvider(options, _http, time, Logger);
        Connector = new ConnectorClient(_http, Tokens, new ConversationPacer(time), options, time, Logger);
        Streams = new StreamTracker(Connector, options, time);
        Channel = new TeamsChannel(Connector, Streams, new AttachmentHosts(options, _http), options, conversations);
        Handler = new TeamsActivityHandler(conversations, Connector, Streams, options, time, Logger, stopping);
        Endpoint = new TeamsEndpoint(options, Authenticator, new ServiceUrlPolicy(options), Handler, Logger);
    }

    public TeamsOptions Options { get; }

    public ILogger Logger { get; }

    public InboundAuthenticator Authenticator { get; }

    public BotTokenProvider Tokens { get; }

    public ConnectorClient Connector { get; }

    public StreamTracker Streams { get; }

    public TeamsChannel Channel { get; }

    public TeamsActivityHandler Handler { get; }

    public TeamsEndpoint Endpoint { get; }

    public void Dispose() => _http.Dispose();
}
