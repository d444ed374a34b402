using System.Net;
using Bot.Core.Attachments;

namespace Bot.Core.Net;

/// <summary>
/// Downloads from allow-listed hosts only: every hop of a redirect is checked against the list before it is
/// requested, redirects are followed here (at most <see cref="MaxRedirects"/>), and credentials go with the first
/// request only, never along a redirect. The body is read within a size cap: a declared length over it is refused
/// before reading, and an undeclared one stops being read once past it.
/// </summary>
/// <param name="http">A client whose handler does not follow redirects itself (<c>AllowAutoRedirect = false</c>).</param>
/// <param name="hosts">Where downloads may come from.</param>
public sealed class AllowListedDownloader(HttpClient http, HostAllowList hosts)
{
    /// <summary>How many redirects one download may follow.</summary>
    public const int MaxRedirects = 3;

    /// <summary>The hosts downloads may come from.</summary>
    public HostAllowList Hosts => hosts;

    /// <summary>
    /// Opens <paramref name="url"/> for reading; the caller disposes the stream (which ends the response).
    /// <paramref name="authorize"/>, when given, adds credentials to the first request (it may refuse by throwing).
    /// </summary>
    /// <exception cref="DownloadRefusedException">The URL or a redirect's target is not allowed.</exception>
    /// <exception cref="AttachmentTooLargeException">The response declares more than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="HttpRequestException">The server answered an error, or redirected too often.</exception>
    public async Task<Stream> OpenAsync(Uri url, Func<HttpRequestMessage, CancellationToken, Task>? authorize = null,
        long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        for (var hop = 0; ; hop++)
        {
            if (!url.IsAbsoluteUri || !hosts.IsAllowed(url))
                throw new DownloadRefusedException(url, hosts.Setting, redirected: hop > 0);

            HttpResponseMessage response;
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                if (hop == 0 && authorize is not null)
                    await authorize(request, cancellationToken).ConfigureAwait(false);
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= MaxRedirects)
                    throw new HttpRequestException($"The download redirected more than {MaxRedirects} times.");
                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                response.Dispose();
                throw new HttpRequestException($"The download answered {(int)response.StatusCode}.", null, response.StatusCode);
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                response.Dispose();
                throw new AttachmentTooLargeException(maxBytes);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new SizeLimitedStream(body, maxBytes, response);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}

/// <summary>A download refused because its URL (or a redirect's target) is not on the allow-list.</summary>
public sealed class DownloadRefusedException(Uri url, string setting, bool redirected) : InvalidOperationException(redirected
    ? $"The download redirected to {url.Host}, which is not allowed ({setting})."
    : $"Downloads from {url.Host} are not allowed ({setting}).")
{
    /// <summary>The URL refused.</summary>
    public Uri Url { get; } = url;
}
