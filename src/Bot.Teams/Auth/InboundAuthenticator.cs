using System.Security.Claims;
using Bot.Teams.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Teams.Auth;

/// <summary>The verdict on one request: 200 (accepted), 400, 401, 403 or 503 (try again later), with the reason for the log.</summary>
internal sealed record AuthOutcome(int Status, string Reason)
{
    public static readonly AuthOutcome Accepted = new(200, "valid");

    public bool IsAccepted => Status == 200;

    public static AuthOutcome BadRequest(string reason) => new(400, reason);

    public static AuthOutcome Unauthorized(string reason) => new(401, reason);

    public static AuthOutcome Forbidden(string reason) => new(403, reason);

    /// <summary>The request may be fine but cannot be checked now: the Bot Connector delivers it again after a while.</summary>
    public static AuthOutcome Unavailable(string reason) => new(503, reason);
}

/// <summary>A token whose signature, issuer, audience, lifetime and caller were checked; the activity is checked against it next.</summary>
/// <param name="Identity">The token's claims (short names: <c>serviceurl</c>, <c>tid</c>, …).</param>
/// <param name="Kid">The id of the key that signed it.</param>
/// <param name="Keys">The key set it was validated with (for the endorsement check).</param>
/// <param name="EntraTenant">The tenant of an Entra-issued token; null for a Bot Connector token.</param>
internal sealed record VerifiedToken(ClaimsIdentity Identity, string? Kid, SigningKeys Keys, string? EntraTenant);

/// <summary>
/// Validates the bearer token of a Bot Connector request in two steps, so that a refused caller costs no body read:
/// <see cref="VerifyTokenAsync"/> from the header alone (teams.md §1.3: issuer, signature by a published key refreshed
/// once on an unknown key id, RS256/384/512 only, lifetime with 5 minutes of skew, audience = the app id; for Entra
/// tokens §1.8 also the caller), then <see cref="CheckActivity"/> with the activity (the key's endorsement of its
/// channelId, the <c>serviceurl</c> claim, the tenant an Entra token may speak for).
/// </summary>
internal sealed class InboundAuthenticator(TeamsOptions options, [FromKeyedServices(TeamsHttp.ClientKey)] HttpClient http, TimeProvider time,
    ILogger<InboundAuthenticator> logger)
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>
    /// The Entra callers accepted when <c>Teams:AllowedCallers</c> is empty: the Microsoft 365 Agents (Agent 365)
    /// platform's app id, the one caller microsoft/teams.net accepts for Entra-issued tokens (docs/teams.md §6 has the sources).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultCallers = ["5a807f24-c9de-44ee-a3a7-329e88a00ffc"];

    private static readonly string[] s_algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    // The Bot Service's own tenants (Emulator v3.1/v3.2 and "Copilot" tokens, teams.md §1.7–1.8): they speak for every customer.
    private static readonly string[] s_botServiceTenants =
        ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "69e9b82d-4842-4902-8d1e-abc5b98a55e8"];

    private readonly SigningKeyCache _botFrameworkKeys = new(options.OpenIdMetadataUrl, http, time, logger);
    private readonly SigningKeyCache _entraKeys = new(options.EntraOpenIdMetadataUrl, http, time, logger);

    /// <summary>Readiness: the Bot Framework signing keys are loaded.</summary>
    internal Bot.Core.Health.Readiness SigningKeysReadiness() => _botFrameworkKeys.Readiness();

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly string[] _callers = options.AllowedCallers.Count > 0 ? [.. options.AllowedCallers] : [.. DefaultCallers];

    /// <summary>Everything about the token that needs no activity; null token and a 401 when it fails.</summary>
    public async Task<(VerifiedToken? Token, AuthOutcome Outcome)> VerifyTokenAsync(string? authorization, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(authorization))
            return (null, AuthOutcome.Unauthorized("no Authorization header"));
        var parts = authorization.Split(' ');
        if (parts.Length != 2 || !string.Equals(parts[0], "Bearer", StringComparison.Ordinal) || parts[1].Length == 0)
            return (null, AuthOutcome.Unauthorized("the Authorization header is not 'Bearer <token>'"));

        JsonWebToken peek;
        try
        {
            peek = new JsonWebToken(parts[1]);
        }
        catch (ArgumentException)
        {
            return (null, AuthOutcome.Unauthorized("the token is not a JWT"));
        }

        if (string.Equals(peek.Issuer, BotFrameworkIssuer, StringComparison.Ordinal))
            return await ValidateAsync(parts[1], peek.Kid, Parameters([BotFrameworkIssuer], [options.AppId!]), _botFrameworkKeys, null, cancellationToken)
                .ConfigureAwait(false);
        if (EntraTenant(peek) is not { } tenant)
            return (null, AuthOutcome.Unauthorized("the issuer is not trusted"));

        var appId = options.AppId!;
        var parameters = Parameters([$"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0"],
            [appId, $"api://{appId}", $"api://botid-{appId}"]);
        var (token, outcome) = await ValidateAsync(parts[1], peek.Kid, parameters, _entraKeys, tenant, cancellationToken).ConfigureAwait(false);
        if (token is null)
            return (null, outcome);
        if (!string.Equals(token.Identity.FindFirst("tid")?.Value, tenant, StringComparison.OrdinalIgnoreCase))
            return (null, AuthOutcome.Unauthorized("the token's tenant does not match its issuer"));
        return CallerRefusal(token.Identity) is { } refusal ? (null, refusal) : (token, outcome);
    }

    /// <summary>The checks that need the activity: endorsement of its channel, its serviceUrl, and its tenant for Entra tokens.</summary>
    public static AuthOutcome CheckActivity(VerifiedToken token, string? channelId, string? serviceUrl, string? tenant)
    {
        if (token.EntraTenant is null)
        {
            // The key that signed the token must endorse the channel the activity claims to come from.
            if (string.IsNullOrEmpty(channelId) || token.Kid is null || !token.Keys.Endorsements.TryGetValue(token.Kid, out var endorsed)
                || !endorsed.Contains(channelId))
                return AuthOutcome.Forbidden($"the signing key does not endorse channel '{channelId}'");
            return CheckServiceUrl(token.Identity, serviceUrl, required: true);
        }

        // A token minted in a customer tenant (Teams:TenantId) speaks for that tenant only; the Bot Service's own tenants
        // issue tokens for activities of every tenant.
        if (tenant is not null && !s_botServiceTenants.Contains(token.EntraTenant, StringComparer.OrdinalIgnoreCase)
            && !string.Equals(tenant, token.EntraTenant, StringComparison.OrdinalIgnoreCase))
            return AuthOutcome.Forbidden($"a token of tenant {token.EntraTenant} cannot speak for tenant {tenant}");
        // Entra tokens may carry no serviceurl claim: the caller check and Teams:ServiceUrlHosts bound where the reply goes.
        return CheckServiceUrl(token.Identity, serviceUrl, required: false);
    }

    private async Task<(VerifiedToken? Token, AuthOutcome Outcome)> ValidateAsync(string token, string? kid, TokenValidationParameters parameters,
        SigningKeyCache cache, string? entraTenant, CancellationToken cancellationToken)
    {
        SigningKeys keys;
        try
        {
            keys = await cache.GetAsync(cancellationToken).ConfigureAwait(false);
            if (!keys.Has(kid))
                keys = await cache.RefreshForUnknownKeyAsync(kid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No keys at all (the first fetch failed): the token cannot be judged now, not judged bad. 503 makes the Bot
            // Connector deliver again; the cache tries the fetch again meanwhile.
            Log.SigningKeysUnavailable(logger, ex);
            return (null, AuthOutcome.Unavailable("the signing keys are unavailable"));
        }

        parameters.IssuerSigningKeys = keys.Keys;
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (result.IsValid)
            return (new VerifiedToken(result.ClaimsIdentity, kid, keys, entraTenant), AuthOutcome.Accepted);
        var failure = result.Exception?.GetType().Name.Replace("SecurityToken", "", StringComparison.Ordinal).Replace("Exception", "", StringComparison.Ordinal);
        return (null, AuthOutcome.Unauthorized(failure ?? "invalid token"));
    }

    // Any app in a trusted tenant can get a token for our app id: only the callers we expect may use one (teams.md §1.7:
    // appid in v1 tokens, azp in v2 tokens, any other version names no caller we can read).
    private AuthOutcome? CallerRefusal(ClaimsIdentity identity)
    {
        var caller = identity.FindFirst("ver")?.Value switch
        {
            null or "1.0" => identity.FindFirst("appid")?.Value,
            "2.0" => identity.FindFirst("azp")?.Value,
            _ => null,
        };
        if (string.IsNullOrEmpty(caller))
            return AuthOutcome.Unauthorized("the token names no calling app (appid/azp)");
        var allowed = string.Equals(caller, options.AppId, StringComparison.OrdinalIgnoreCase)
            || _callers.Contains(caller, StringComparer.OrdinalIgnoreCase);
        return allowed ? null : AuthOutcome.Unauthorized($"the token was issued to app {caller}, which is not in Teams:AllowedCallers");
    }

    private static AuthOutcome CheckServiceUrl(ClaimsIdentity identity, string? serviceUrl, bool required)
    {
        var claim = identity.FindFirst("serviceurl")?.Value;
        if (claim is null)
            return required ? AuthOutcome.Unauthorized("the token has no serviceurl claim") : AuthOutcome.Accepted;
        return string.Equals(claim, serviceUrl, StringComparison.OrdinalIgnoreCase)
            ? AuthOutcome.Accepted
            : AuthOutcome.Unauthorized("the serviceurl claim does not match the activity's serviceUrl");
    }

    // The tenant of an Entra-issued token if its issuer is one we trust: the Bot Service tenants and our own.
    private string? EntraTenant(JsonWebToken token)
    {
        var issuer = token.Issuer ?? "";
        foreach (var tenant in s_botServiceTenants.Append(options.TenantId).OfType<string>().Where(t => t.Length > 0))
        {
            if (issuer == $"https://sts.windows.net/{tenant}/" || issuer == $"https://login.microsoftonline.com/{tenant}/v2.0")
                return tenant;
        }

        return null;
    }

    private static TokenValidationParameters Parameters(IEnumerable<string> issuers, IEnumerable<string> audiences) => new()
    {
        ValidIssuers = issuers,
        ValidAudiences = audiences,
        ValidAlgorithms = s_algorithms,
        ClockSkew = TimeSpan.FromMinutes(5),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        TryAllIssuerSigningKeys = false,
    };
}
