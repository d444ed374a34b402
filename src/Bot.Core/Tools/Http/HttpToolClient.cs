using System.Net;

namespace Bot.Core.Tools.Http;

/// <summary>
/// The one HTTP client of the HTTP tools. It follows no redirect (a tool reaches only its configured host), keeps no
/// cookies between calls, and leaves timeouts to each tool.
/// </summary>
internal sealed class HttpToolClient : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
