using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Bot.Teams.Connector;
using Microsoft.Extensions.DependencyInjection;
using Bot.Core.Net;
using Microsoft.Extensions.Logging;

namespace Bot.Teams.Auth;

/// <summary>Gives the bearer token for Connector calls (null in local mode: no credentials, no header).</summary>
internal interface IBotTokenProvider
{
    Task<string?> GetTokenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Client-credentials tokens for <c>https://api.botframework.com/.default</c> (teams.md §2.1): from the
/// botframework.com tenant (MultiTenant) or the bot's tenant (SingleTenant) at
/// <c>{LoginEndpoint}/{tenant}/oauth2/v2.0/token</c>, or from the managed identity endpoint (UserAssignedMsi).
/// One token is cached until five minutes before it expires; concurrent callers share one request.
/// </summary>
internal sealed class BotTokenProvider(TeamsOptions options, [FromKeyedServices(TeamsHttp.ClientKey)] HttpClient http, TimeProvider time,
    ILogger<BotTokenProvider> logger) : IBotTokenProvider
{
    public const string Scope = "https://api.botframework.com/.default";
    private const string Resource = "https://api.botframework.com";
    private static readonly TimeSpan s_refreshAhead = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _cached;

    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Authenticated)
            return null;
        if (Fresh() is { } token)
            return token;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } again)
                return again;
            var response = await RequestAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(response.AccessToken))
                throw new InvalidOperationException("The token endpoint answered without an access_token.");
            _cached = (response.AccessToken, time.GetUtcNow().AddSeconds(response.ExpiresIn > 0 ? response.ExpiresIn : 3600));
            Log.TokenAcquired(logger, options.AppType.ToString(), response.ExpiresIn);
            return response.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Fresh() => _cached is { } cached && cached.ExpiresAt - time.GetUtcNow() > s_refreshAhead ? cached.Token : null;

    private async Task<TokenResponse> RequestAsync(CancellationToken cancellationToken)
    {
        var managed = options.AppType == TeamsAppType.UserAssignedMsi;
        using var request = managed ? ManagedIdentityRequest() : ClientCredentialsRequest();
        // The secret goes over https only (plain http to loopback for tests); the managed identity endpoints are local
        // http services by design (App Service on localhost, the instance metadata service on 169.254.169.254).
        var uri = request.RequestUri!;
        if (!LoopbackHttp.IsAllowed(uri) && !(managed && uri.Host == "169.254.169.254"))
            throw new InvalidOperationException($"Refusing to request a token over plain http from {uri.Host}.");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The body names the Entra error (AADSTS…); it holds no secret.
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}: {Truncate(body)}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync(TokenJson.Default.TokenResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The token endpoint answered an empty body.");
    }

    private HttpRequestMessage ClientCredentialsRequest()
    {
        var tenant = options.AppType == TeamsAppType.SingleTenant ? options.TenantId! : "botframework.com";
        var url = $"{options.LoginEndpoint.TrimEnd('/')}/{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token";
        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = options.AppId!,
                ["client_secret"] = options.AppPassword ?? "",
                ["scope"] = Scope,
            }),
        };
    }

    // App Service / Functions publish IDENTITY_ENDPOINT + IDENTITY_HEADER; elsewhere the instance metadata service answers.
    private HttpRequestMessage ManagedIdentityRequest()
    {
        var appService = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
        var endpoint = options.ManagedIdentityEndpoint is { Length: > 0 } configured ? configured
            : appService ?? "http://169.254.169.254/metadata/identity/oauth2/token";
        var apiVersion = appService is not null && options.ManagedIdentityEndpoint is null ? "2019-08-01" : "2018-02-01";
        var url = $"{endpoint}?api-version={apiVersion}&resource={Uri.EscapeDataString(Resource)}&client_id={Uri.EscapeDataString(options.AppId!)}";
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Metadata", "true");
        if (Environment.GetEnvironmentVariable("IDENTITY_HEADER") is { Length: > 0 } header)
            request.Headers.Add("X-IDENTITY-HEADER", header);
        return request;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long ExpiresIn { get; set; }
}

[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class TokenJson : JsonSerializerContext;
