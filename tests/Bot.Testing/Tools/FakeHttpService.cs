using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Tools;

/// <summary>One request the service received: method, path, query, headers and body as sent.</summary>
public sealed record ReceivedHttpRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers, string Body, string? ContentType);

/// <summary>
/// The service behind an HTTP tool, on 127.0.0.1 (its own port): it records every request before the test's handler
/// answers it (by default 200 with <c>{"ok":true}</c>).
/// </summary>
public sealed class FakeHttpService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedHttpRequest> _requests = new();

    private FakeHttpService(WebApplication app) => _app = app;

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<ReceivedHttpRequest> Requests => [.. _requests];

    public static async Task<FakeHttpService> StartAsync(RequestDelegate? handler = null, CancellationToken cancellationToken = default)
    {
        var app = LoopbackHost.CreateBuilder().Build();
        var service = new FakeHttpService(app);
        app.Run(async context =>
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            service._requests.Enqueue(new ReceivedHttpRequest(request.Method, request.Path,
                request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body, request.ContentType));
            if (handler is null)
                await context.Response.WriteAsJsonAsync(new { ok = true }, context.RequestAborted);
            else
                await handler(context);
        });
        service.BaseUri = await LoopbackHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
