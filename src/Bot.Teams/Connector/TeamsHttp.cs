namespace Bot.Teams.Connector;

/// <summary>
/// The one HTTP client of the Teams channel (signing keys, outbound tokens, the Connector, attachment downloads), a
/// keyed singleton so that it is the channel's own: pooled connections renewed every 5 minutes, no automatic redirects
/// (a redirect must not carry the token elsewhere), room for many conversations at once.
/// </summary>
internal static class TeamsHttp
{
    public const string ClientKey = "Bot.Teams";

    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 256,
    })
    { Timeout = TimeSpan.FromSeconds(60) };
}
