using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Teams.Auth;

/// <summary>The verdict on one request's token: 200 (accepted), 401 or 403, with the reason for the log.</summary>
internal sealed record AuthOutcome(int Status, string Reason)
{
    public static readonly AuthOutcome Accepted = new(200, "valid");

    public bool IsAccepted => Status == 200;

    public static AuthOutcome Unauthorized(string reason) => new(401, reason);

    public static AuthOutcome Forbidden(string reason) => new(403, reason);
}

/// <summary>
/// Validates the bearer token of a Bot Connector request (teams.md §1.3): issuer, signature by a published key
/// (refreshed once on an unknown key id), RS256/384/512 only, lifetime with 5 minutes of skew, audience = the app
/// id, the key's endorsement of the activity's channelId, the <c>serviceurl</c> claim = the activity's serviceUrl.
/// Entra-issued tokens are accepted from the Bot Service tenants and the configured tenant (§1.8).
/// </summary>
internal sealed class InboundAuthenticator(TeamsOptions options, SigningKeyCache botFrameworkKeys, SigningKeyCache entraKeys)
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    private static readonly string[] s_algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
    private static readonly string[] s_botServiceTenants =
        ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a", "69e9b82d-4842-4902-8d1e-abc5b98a55e8"];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<AuthOutcome> AuthenticateAsync(string? authorization, string? channelId, string? serviceUrl,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(authorization))
            return AuthOutcome.Unauthorized("no Authorization header");
        var parts = authorization.Split(' ');
        if (parts.Length != 2 || !string.Equals(parts[0], "Bearer", StringComparison.Ordinal) || parts[1].Length == 0)
            return AuthOutcome.Unauthorized("the Authorization header is not 'Bearer <token>'");

        JsonWebToken peek;
        try
        {
            peek = new JsonWebToken(parts[1]);
        }
        catch (ArgumentException)
        {
            return AuthOutcome.Unauthorized("the token is not a JWT");
        }

        if (string.Equals(peek.Issuer, BotFrameworkIssuer, StringComparison.Ordinal))
            return await ValidateChannelTokenAsync(parts[1], peek.Kid, channelId, serviceUrl, cancellationToken).ConfigureAwait(false);
        if (EntraTenant(peek) is { } tenant)
            return await ValidateEntraTokenAsync(parts[1], peek.Kid, tenant, serviceUrl, cancellationToken).ConfigureAwait(false);
        return AuthOutcome.Unauthorized("the issuer is not trusted");
    }

    private async Task<AuthOutcome> ValidateChannelTokenAsync(string token, string? kid, string? channelId, string? serviceUrl,
        CancellationToken cancellationToken)
    {
        var parameters = Parameters([BotFrameworkIssuer], [options.AppId!]);
        var (identity, keys, failure) = await ValidateAsync(token, kid, parameters, botFrameworkKeys, cancellationToken).ConfigureAwait(false);
        if (identity is null)
            return AuthOutcome.Unauthorized(failure!);

        // The key that signed the token must endorse the channel the activity claims to come from.
        if (string.IsNullOrEmpty(channelId) || kid is null || !keys!.Endorsements.TryGetValue(kid, out var endorsed) || !endorsed.Contains(channelId))
            return AuthOutcome.Forbidden($"the signing key does not endorse channel '{channelId}'");
        return CheckServiceUrl(identity, serviceUrl, required: true);
    }

    private async Task<AuthOutcome> ValidateEntraTokenAsync(string token, string? kid, string tenant, string? serviceUrl, CancellationToken cancellationToken)
    {
        string[] issuers = [$"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0"];
        var appId = options.AppId!;
        var parameters = Parameters(issuers, [appId, $"api://{appId}", $"api://botid-{appId}"]);
        var (identity, _, failure) = await ValidateAsync(token, kid, parameters, entraKeys, cancellationToken).ConfigureAwait(false);
        if (identity is null)
            return AuthOutcome.Unauthorized(failure!);
        if (!string.Equals(identity.FindFirst("tid")?.Value, tenant, StringComparison.OrdinalIgnoreCase))
            return AuthOutcome.Unauthorized("the token's tenant does not match its issuer");
        return CheckServiceUrl(identity, serviceUrl, required: false);
    }

    private async Task<(ClaimsIdentity? Identity, SigningKeys? Keys, string? Failure)> ValidateAsync(string token, string? kid,
        TokenValidationParameters parameters, SigningKeyCache cache, CancellationToken cancellationToken)
    {
        var keys = await cache.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!keys.Has(kid))
            keys = await cache.RefreshForUnknownKeyAsync(kid, cancellationToken).ConfigureAwait(false);
        parameters.IssuerSigningKeys = keys.Keys;
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        return result.IsValid
            ? (result.ClaimsIdentity, keys, null)
            : (null, keys, result.Exception?.GetType().Name.Replace("SecurityToken", "", StringComparison.Ordinal).Replace("Exception", "", StringComparison.Ordinal) ?? "invalid token");
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
