using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Teams;

/// <summary>One request an attacker's server received.</summary>
public sealed record CapturedRequest(string Method, string Path, string? Authorization);

/// <summary>
/// An attacker's server on 127.0.0.1 (its own port): a serviceUrl the bot must never call. It records every request,
/// with its Authorization header, and answers like a Connector (201 with an id) so that a bot that trusts it carries on.
/// </summary>
public sealed class CapturingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();

    private CapturingServer(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>A serviceUrl on this server, shaped like the Connector's.</summary>
    public string ServiceUrl => $"{BaseUri.AbsoluteUri.TrimEnd('/')}/amer/";

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public static async Task<CapturingServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackHost.CreateBuilder().Build();
        var server = new CapturingServer(app);
        app.Run(context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            server._requests.Enqueue(new CapturedRequest(context.Request.Method, context.Request.Path, authorization.Length == 0 ? null : authorization));
            context.Response.StatusCode = StatusCodes.Status201Created;
            return context.Response.WriteAsJsonAsync(new { id = "captured" });
        });
        server.BaseUri = await LoopbackHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
