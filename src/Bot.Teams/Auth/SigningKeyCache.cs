using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Teams.Auth;

/// <summary>One key set as published: the keys and, per key id, the channels each key endorses.</summary>
internal sealed record SigningKeys(IReadOnlyList<SecurityKey> Keys, IReadOnlyDictionary<string, IReadOnlySet<string>> Endorsements, DateTimeOffset FetchedAt)
{
    public bool Has(string? kid) => kid is not null && Keys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));
}

/// <summary>
/// The signing keys of one OpenID metadata document (metadata → <c>jwks_uri</c> → JWK set), read with our own
/// parser so that each key's <c>endorsements</c> are kept (teams.md §1.4–1.5). Refreshed every 12 hours, and on
/// a token with an unknown key id at most once a minute. Plain http only to loopback addresses.
/// </summary>
internal sealed class SigningKeyCache(string metadataUrl, HttpClient http, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan s_maxAge = TimeSpan.FromHours(12);
    private static readonly TimeSpan s_minRefreshGap = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SigningKeys? _current;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    /// <summary>The keys, fetched if none are cached or they are older than 12 hours.</summary>
    public async Task<SigningKeys> GetAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && time.GetUtcNow() - current.FetchedAt < s_maxAge)
            return current;
        return await RefreshAsync(force: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches again for a token whose key id is unknown, unless that happened less than a minute ago.</summary>
    public async Task<SigningKeys> RefreshForUnknownKeyAsync(string? kid, CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && (current.Has(kid) || time.GetUtcNow() - _lastForcedRefresh < s_minRefreshGap))
            return current;
        return await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SigningKeys> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (_current is not null && (force ? now - _lastForcedRefresh < s_minRefreshGap : now - _current.FetchedAt < s_maxAge))
                return _current;
            if (force)
                _lastForcedRefresh = now;

            using var metadata = await GetJsonAsync(new Uri(metadataUrl), cancellationToken).ConfigureAwait(false);
            var jwksUri = metadata.RootElement.TryGetProperty("jwks_uri", out var uri) ? uri.GetString() : null;
            if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var jwks))
                throw new InvalidOperationException($"The OpenID metadata at {metadataUrl} has no valid jwks_uri.");
            using var keySet = await GetJsonAsync(jwks, cancellationToken).ConfigureAwait(false);
            var keys = Parse(keySet.RootElement.GetRawText());
            _current = keys with { FetchedAt = now };
            Log.SigningKeysLoaded(logger, _current.Keys.Count, metadataUrl);
            return _current;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && _current is not null)
        {
            // Keep validating with the keys we have; the next unknown key id tries again.
            Log.SigningKeysRefreshFailed(logger, metadataUrl, ex);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static SigningKeys Parse(string json)
    {
        var set = new JsonWebKeySet(json) { SkipUnresolvedJsonWebKeys = true };
        var endorsements = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in keys.EnumerateArray())
            {
                if (key.TryGetProperty("kid", out var kid) && kid.GetString() is { Length: > 0 } id
                    && key.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
                    endorsements[id] = list.EnumerateArray().Select(e => e.GetString() ?? "").ToHashSet(StringComparer.Ordinal);
            }
        }

        return new SigningKeys([.. set.GetSigningKeys()], endorsements, DateTimeOffset.MinValue);
    }

    private async Task<JsonDocument> GetJsonAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (!LoopbackHttp.IsAllowed(uri))
            throw new InvalidOperationException($"Refusing to fetch signing keys over plain http from {uri.Host}.");
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
