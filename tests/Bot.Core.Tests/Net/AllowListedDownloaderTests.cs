using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Bot.Core.Attachments;
using Bot.Core.Net;
using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Core.Tests.Net;

/// <summary>
/// The one download path every channel uses, against a real HTTP server on 127.0.0.1: only listed hosts, every
/// redirect hop checked before it is requested, credentials on the first request only, the size cap while reading.
/// A second name of the same server, <c>localhost</c>, stands for a host that is not on the list.
/// </summary>
public sealed class AllowListedDownloaderTests : IAsyncLifetime
{
    private const string Token = "Bearer secret-token";
    private static readonly byte[] s_file = "month,total\njan,3\n"u8.ToArray();

    private readonly ConcurrentQueue<(string Host, string Path, string? Authorization)> _requests = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private WebApplication _server = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var builder = LoopbackHost.CreateBuilder();
        _server = builder.Build();
        _server.Use(async (context, next) =>
        {
            _requests.Enqueue((context.Request.Host.Host, context.Request.Path.Value!, context.Request.Headers.Authorization.FirstOrDefault()));
            await next(context);
        });
        _server.Run(HandleAsync);
        _base = await LoopbackHost.StartAsync(_server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RedirectToAnAllowedHost_IsFollowed_AndTheTokenGoesWithTheFirstRequestOnly()
    {
        await using var stream = await Downloader().OpenAsync(Url("/redirect?to=/file"), AddToken);

        Assert.Equal(s_file, await ReadAllAsync(stream));
        Assert.Equal([("/redirect", Token), ("/file", null)], _requests.Select(r => (r.Path, r.Authorization)));
    }

    [Fact]
    public async Task RedirectToAHostNotAllowed_IsRefused_AndNothingIsRequestedThere()
    {
        var elsewhere = new UriBuilder(Url("/file")) { Host = "localhost" }.Uri;

        var refused = await Assert.ThrowsAsync<DownloadRefusedException>(() =>
            Downloader().OpenAsync(Url("/redirect?to=" + Uri.EscapeDataString(elsewhere.AbsoluteUri)), AddToken));

        Assert.Equal("localhost", refused.Url.Host);
        Assert.Contains("Test:Hosts", refused.Message, StringComparison.Ordinal);
        Assert.Equal([("127.0.0.1", "/redirect")], _requests.Select(r => (r.Host, r.Path)));
    }

    [Fact]
    public async Task AUrlOnAHostNotAllowed_IsRefused_BeforeAnyRequestOrToken()
    {
        var authorized = false;
        var url = new UriBuilder(Url("/file")) { Host = "localhost" }.Uri;

        await Assert.ThrowsAsync<DownloadRefusedException>(() => Downloader().OpenAsync(url, (_, _) =>
        {
            authorized = true;
            return Task.CompletedTask;
        }));

        Assert.False(authorized);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task EndlessRedirects_StopAfterTheLimit()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Downloader().OpenAsync(Url("/loop")));

        Assert.Contains("redirected more than", failure.Message, StringComparison.Ordinal);
        Assert.Equal(AllowListedDownloader.MaxRedirects + 1, _requests.Count);
    }

    [Fact]
    public async Task AnErrorStatus_FailsWithTheStatus()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => Downloader().OpenAsync(Url("/missing")));

        Assert.Equal(HttpStatusCode.NotFound, failure.StatusCode);
    }

    [Fact]
    public async Task ADeclaredLengthOverTheCap_IsRefusedBeforeTheBodyIsRead()
    {
        var refused = await Assert.ThrowsAsync<AttachmentTooLargeException>(() => Downloader().OpenAsync(Url("/declared"), maxBytes: 1024));

        Assert.Equal(1024, refused.Limit);
    }

    [Fact]
    public async Task ABodyPastTheCap_StopsBeingRead()
    {
        const int cap = 64 * 1024;
        var received = new MemoryStream();

        await using var stream = await Downloader().OpenAsync(Url("/endless"), maxBytes: cap);
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() => stream.CopyToAsync(received, bufferSize: 16 * 1024));

        Assert.InRange(received.Length, 1, cap);
        // What was taken off the connection: the cap and the one read that crossed it, nothing of the rest.
        var taken = ((SizeLimitedStream)stream).BytesRead;
        Assert.InRange(taken, cap + 1, cap + (16 * 1024));
        await Assert.ThrowsAsync<AttachmentTooLargeException>(() => stream.ReadAsync(new byte[16]).AsTask());
        Assert.Equal(taken, ((SizeLimitedStream)stream).BytesRead);
    }

    [Theory]
    [InlineData("https://cdn.example.com/a.png", true)]
    [InlineData("http://cdn.example.com/a.png", false)] // plain http only to loopback
    [InlineData("https://files.sharepoint.com/a.pdf", true)]
    [InlineData("https://sharepoint.com/a.pdf", false)] // a wildcard matches subdomains only
    [InlineData("https://evilsharepoint.com/a.pdf", false)]
    [InlineData("http://127.0.0.1:8080/a", true)]
    [InlineData("http://127.0.0.1:8081/a", false)] // the listed port only
    [InlineData("https://cdn.example.com.evil.org/a.png", false)]
    public void TheAllowList_TakesExactNamesWildcardsAndPorts_OverHttps(string url, bool allowed)
    {
        var hosts = new HostAllowList(["cdn.example.com", "*.sharepoint.com", "127.0.0.1:8080"], "Test:Hosts");

        Assert.Equal(allowed, hosts.IsAllowed(new Uri(url)));
    }

    private AllowListedDownloader Downloader() => new(_http, new HostAllowList(["127.0.0.1"], "Test:Hosts"));

    private Uri Url(string pathAndQuery) => new(_base, pathAndQuery);

    private static Task AddToken(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Token);
        return Task.CompletedTask;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/file":
                await context.Response.Body.WriteAsync(s_file);
                break;
            case "/redirect":
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = context.Request.Query["to"].ToString();
                break;
            case "/loop":
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = "/loop";
                break;
            case "/declared":
                context.Response.ContentLength = 1024 * 1024;
                await context.Response.Body.WriteAsync(new byte[1024 * 1024]);
                break;
            case "/endless":
                // No Content-Length: only reading tells the size. It goes on until the client leaves (or 256 MB).
                var chunk = new byte[16 * 1024];
                for (var written = 0L; written < 256L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; written += chunk.Length)
                    await context.Response.Body.WriteAsync(chunk, CancellationToken.None);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }
}
