using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Teams;

/// <summary>
/// The OpenID metadata and key sets of the Bot Connector and of Entra, with the faults a real metadata host can
/// show: answers held back until a test lets them go (a slow host) and 503s (a failing one).
/// </summary>
public sealed partial class FakeTeamsServer
{
    private TaskCompletionSource _metadataGate = Released();
    private int _metadataRequests;
    private volatile bool _failMetadata;

    /// <summary>Requests for the Bot Connector's OpenID metadata document.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>Answer the Bot Connector's metadata document with 503 while true.</summary>
    public bool FailMetadata
    {
        get => _failMetadata;
        set => _failMetadata = value;
    }

    /// <summary>Holds every metadata answer (requests are still counted) until the returned handle is disposed.</summary>
    public IDisposable HoldMetadata()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _metadataGate, gate);
        return new Release(gate);
    }

    private void MapMetadata(WebApplication app)
    {
        app.MapGet("/v1/.well-known/openidconfiguration", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _metadataRequests);
            await Volatile.Read(ref _metadataGate).Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            return _failMetadata ? Results.StatusCode(503) : Results.Json(Metadata("https://api.botframework.com", "/v1/.well-known/keys"));
        });
        app.MapGet("/v1/.well-known/keys", () => Results.Json(KeySet(withEndorsements: true)));
        app.MapGet("/entra/v2.0/.well-known/openid-configuration", () => Results.Json(Metadata("https://login.microsoftonline.com/{tenantid}/v2.0", "/entra/keys")));
        app.MapGet("/entra/keys", () => Results.Json(KeySet(withEndorsements: false)));
    }

    private JsonObject Metadata(string issuer, string keysPath) => new()
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = $"{LoginEndpoint}/common/oauth2/v2.0/authorize",
        ["jwks_uri"] = $"{LoginEndpoint}{keysPath}",
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
    };

    private JsonObject KeySet(bool withEndorsements)
    {
        lock (_lock)
            return new JsonObject { ["keys"] = new JsonArray([.. _published.Select(k => (JsonNode)k.Jwk(withEndorsements))]) };
    }

    private static TaskCompletionSource Released()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private sealed class Release(TaskCompletionSource gate) : IDisposable
    {
        public void Dispose() => gate.TrySetResult();
    }
}
