using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Bot.Testing.Teams;

/// <summary>
/// A loopback stand-in for the Bot Framework around a Teams bot: the Bot Connector's OpenID metadata and JWKS (keys
/// with endorsements), Entra metadata, the login token endpoint <c>/{tenant}/oauth2/v2.0/token</c>, and a Connector
/// (<c>/v3/conversations/…</c>) that records activities, enforces Teams' rate and streaming rules, and can answer
/// 429/403/412 on demand. It also serves pre-authorised file downloads and token-protected pasted images.
/// </summary>
public sealed partial class FakeTeamsServer : IAsyncDisposable
{
    public const string AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";
    public const string AppPassword = "test-secret-not-real";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorRequest> _requests = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentQueue<(string Path, bool HadAuthorization, int Status)> _downloads = new();
    private readonly ConcurrentQueue<string> _tokenTenants = new();
    private readonly ConcurrentDictionary<string, byte> _issuedTokens = new();
    private readonly List<TestSigningKey> _published = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finals;

    private FakeTeamsServer(WebApplication app)
    {
        _app = app;
        SigningKey = new TestSigningKey("fake-key-1", "msteams", "emulator");
        _published.Add(SigningKey);
    }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The serviceUrl to put into activities: this fake's Connector.</summary>
    public string ServiceUrl => $"{BaseUri.AbsoluteUri.TrimEnd('/')}/amer/";

    public string OpenIdMetadataUrl => $"{BaseUri.AbsoluteUri.TrimEnd('/')}/v1/.well-known/openidconfiguration";

    public string EntraOpenIdMetadataUrl => $"{BaseUri.AbsoluteUri.TrimEnd('/')}/entra/v2.0/.well-known/openid-configuration";

    /// <summary>The Teams:LoginEndpoint to configure.</summary>
    public string LoginEndpoint => BaseUri.AbsoluteUri.TrimEnd('/');

    /// <summary>The published key that signs tokens by default (endorses msteams).</summary>
    public TestSigningKey SigningKey { get; }

    /// <summary>Answer 429 when a thread gets more than 7 writes a second / 8 per 2 s, or a stream more than one request a second.</summary>
    public bool EnforceRateLimits { get; set; } = true;

    /// <summary>Demand a bot token on Connector calls (false: accept calls without one, as the Emulator does).</summary>
    public bool RequireBotToken { get; set; } = true;

    /// <summary>Lifetime of issued bot tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every Connector call, in arrival order.</summary>
    public IReadOnlyList<ConnectorRequest> Requests => [.. _requests];

    /// <summary>Connector calls answered 429 by the rate rules (not by scripted faults).</summary>
    public int Throttled => _throttled;

    /// <summary>Tenants the bot asked the token endpoint for, in order.</summary>
    public IReadOnlyList<string> TokenRequests => [.. _tokenTenants];

    /// <summary>File and image downloads: path, whether an Authorization header came along, status.</summary>
    public IReadOnlyList<(string Path, bool HadAuthorization, int Status)> Downloads => [.. _downloads];

    public static async Task<FakeTeamsServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackHost.CreateBuilder().Build();
        var server = new FakeTeamsServer(app);
        server.Map(app);
        server.BaseUri = await LoopbackHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>A token for the bot; the defaults make a valid one, each <see cref="TokenSpec"/> field breaks one rule.</summary>
    public string CreateToken(TokenSpec? spec = null) => TeamsTokenFactory.Create(spec ?? new TokenSpec(), SigningKey, AppId, ServiceUrl);

    /// <summary>Publishes another key (a key rotation).</summary>
    public void Publish(TestSigningKey key)
    {
        lock (_lock)
            _published.Add(key);
    }

    /// <summary>Serves a file at a pre-authorised URL (no token), as a file.download.info downloadUrl.</summary>
    public Uri AddFile(string name, byte[] content)
    {
        _files[$"/files/{name}"] = content;
        return new Uri(BaseUri, $"files/{Uri.EscapeDataString(name)}");
    }

    /// <summary>A URL on this fake that redirects (302) to <paramref name="target"/>, as SharePoint download links may.</summary>
    public Uri RedirectTo(Uri target) => new(BaseUri, $"redirect?to={Uri.EscapeDataString(target.AbsoluteUri)}");

    /// <summary>Serves a pasted image on the Connector (the bot token is required), as an image attachment's contentUrl.</summary>
    public Uri AddInlineImage(string id, byte[] content)
    {
        _files[$"/amer/v3/attachments/{id}/views/original"] = content;
        return new Uri($"{ServiceUrl}v3/attachments/{id}/views/original");
    }

    /// <summary>Answers the next <paramref name="times"/> matching Connector calls with an error.</summary>
    public void FailNext(Func<ConnectorRequest, bool> match, int status, string? code = null, string? message = null, TimeSpan? retryAfter = null,
        int times = 1)
    {
        lock (_lock)
            _faults.Add(new ConnectorFault(match, status, code, message, retryAfter) { Remaining = times });
    }

    /// <summary>Acts out the user pressing Stop: the next stream request in the conversation gets 403 ContentStreamNotAllowed.</summary>
    public void StopStreamOnNextUpdate(string conversationId) =>
        FailNext(r => r.ConversationId == conversationId && r.IsStreamRequest, 403, "ContentStreamNotAllowed", "Content stream was canceled by user");

    /// <summary>Waits until <paramref name="condition"/> holds over the recorded calls (re-checked on every call), or times out.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ConnectorRequest>, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            Task changed;
            lock (_lock)
                changed = _changed.Task;
            if (condition(Requests))
                return;
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The fake Connector never saw the expected calls. It saw:\n{string.Join("\n", Requests.Select(Describe))}");
            }
        }
    }

    /// <summary>Final stream messages accepted so far (cheap to read under load, unlike <see cref="Requests"/>).</summary>
    public int Finals => Volatile.Read(ref _finals);

    /// <summary>Waits until at least <paramref name="count"/> final stream messages were accepted (for benchmarks: no scan of the record).</summary>
    public async Task WaitForFinalsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
                changed = _changed.Task;
            if (Finals >= count)
                return;
            await changed.WaitAsync(cts.Token).ConfigureAwait(false);
        }
    }

    public static string Describe(ConnectorRequest r) =>
        $"{r.At:HH:mm:ss.fff} {r.Method} {r.ConversationId}/{r.ActivityId} → {r.Status} {r.Type} {r.StreamType} {r.StreamSequence} '{r.Text}'";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (var key in _published)
            key.Dispose();
    }

    private void Record(ConnectorRequest request)
    {
        _requests.Enqueue(request);
        TaskCompletionSource old;
        lock (_lock)
        {
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    private void Map(WebApplication app)
    {
        MapMetadata(app);
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueTokenAsync);
        app.MapGet("/msi/token", IssueManagedIdentityToken);
        app.MapGet("/files/{name}", (HttpContext context, string name) => Download(context, $"/files/{name}", requireToken: false));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/amer/v3/attachments/{id}/views/original", (HttpContext context, string id) =>
            Download(context, $"/amer/v3/attachments/{id}/views/original", requireToken: true));
        MapConnector(app);
    }

    private async Task<IResult> IssueTokenAsync(HttpContext context, string tenant)
    {
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        _tokenTenants.Enqueue(tenant);
        if (form["grant_type"] != "client_credentials" || form["scope"] != "https://api.botframework.com/.default")
            return Results.Json(new JsonObject { ["error"] = "invalid_request" }, statusCode: 400);
        if (form["client_id"] != AppId || form["client_secret"] != AppPassword)
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
        var token = $"bot-token-{Guid.NewGuid():N}";
        _issuedTokens[token] = 0;
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)TokenLifetime.TotalSeconds,
            ["ext_expires_in"] = (long)TokenLifetime.TotalSeconds,
            ["access_token"] = token,
        });
    }

    /// <summary>The managed identity endpoint (IMDS shape): GET with Metadata: true, resource and client_id; expires_in as a string.</summary>
    public string ManagedIdentityEndpoint => $"{LoginEndpoint}/msi/token";

    private IResult IssueManagedIdentityToken(HttpContext context)
    {
        var query = context.Request.Query;
        _tokenTenants.Enqueue("msi");
        if (context.Request.Headers["Metadata"] != "true" || query["resource"] != "https://api.botframework.com" || query["client_id"] != AppId)
            return Results.Json(new JsonObject { ["error"] = "invalid_request" }, statusCode: 400);
        var token = $"bot-token-{Guid.NewGuid():N}";
        _issuedTokens[token] = 0;
        return Results.Json(new JsonObject
        {
            ["access_token"] = token,
            ["expires_in"] = ((long)TokenLifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = "https://api.botframework.com",
            ["token_type"] = "Bearer",
        });
    }

    private bool HasBotToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _issuedTokens.ContainsKey(header[7..]);
    }

    private IResult Download(HttpContext context, string path, bool requireToken)
    {
        var hadAuthorization = context.Request.Headers.Authorization.Count > 0;
        var status = !_files.TryGetValue(path, out var bytes) ? 404 : requireToken && !HasBotToken(context) ? 401 : 200;
        _downloads.Enqueue((path, hadAuthorization, status));
        return status == 200 ? Results.Bytes(bytes!, "application/octet-stream") : Results.StatusCode(status);
    }
}
