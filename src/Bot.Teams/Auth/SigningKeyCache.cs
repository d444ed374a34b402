using Bot.Core.Health;
using Bot.Core.Net;
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
/// parser so that each key's <c>endorsements</c> are kept (teams.md §1.4–1.5). One fetch runs at a time and every
/// caller shares it, never a request's cancellation. Keys older than 12 hours stay in use while a background fetch
/// replaces them (a failed one is tried again at most once a minute), so a slow or failing metadata host holds up no
/// request that has keys. A token naming an unknown key id waits for the running fetch, or starts one at most once
/// a minute. Plain http only to loopback addresses.
/// </summary>
internal sealed class SigningKeyCache(string metadataUrl, HttpClient http, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan s_maxAge = TimeSpan.FromHours(12);
    private static readonly TimeSpan s_minRefreshGap = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private SigningKeys? _current;
    private Task<SigningKeys>? _fetch;
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;
    private DateTimeOffset _lastForcedFetch = DateTimeOffset.MinValue;

    /// <summary>The keys; fetched first if there are none yet, refreshed in the background when older than 12 hours.</summary>
    public async Task<SigningKeys> GetAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is null)
        {
            // Fetch gives null only when keys arrived meanwhile.
            var first = Fetch(force: false) ?? Task.FromResult(Volatile.Read(ref _current)!);
            return await first.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (time.GetUtcNow() - current.FetchedAt >= s_maxAge)
            _ = Fetch(force: false);
        return current;
    }

    /// <summary>
    /// For readiness: the keys are loaded, or not (yet). A probe while none are loaded and no fetch runs starts one, so
    /// a bot that has had no request yet becomes ready, and one whose first fetch failed tries again.
    /// </summary>
    public Readiness Readiness()
    {
        if (Volatile.Read(ref _current) is { } keys)
            return Bot.Core.Health.Readiness.Yes($"{keys.Keys.Count} signing keys loaded.");
        Task<SigningKeys>? previous;
        lock (_lock)
            previous = _fetch;
        if (previous is not { IsCompleted: false })
            Fetch(force: false)?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        return previous is { IsFaulted: true }
            ? Bot.Core.Health.Readiness.No("The signing keys could not be loaded from the OpenID metadata; trying again.")
            : Bot.Core.Health.Readiness.No("Loading the signing keys.");
    }

    /// <summary>Keys that may hold <paramref name="kid"/>: after the running fetch, or a new one unless one was forced less than a minute ago.</summary>
    public async Task<SigningKeys> RefreshForUnknownKeyAsync(string? kid, CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Has(kid))
            return current;
        if (Fetch(force: true) is not { } fetch)
            return current ?? await GetAsync(cancellationToken).ConfigureAwait(false);
        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The running fetch, else a new one unless the last (forced) one started less than a minute ago: then null.
    private Task<SigningKeys>? Fetch(bool force)
    {
        lock (_lock)
        {
            if (_fetch is { IsCompleted: false } running)
                return running;
            var now = time.GetUtcNow();
            if (_current is not null && now - (force ? _lastForcedFetch : _lastFetch) < s_minRefreshGap)
                return null;
            _lastFetch = now;
            if (force)
                _lastForcedFetch = now;
            // Not any request's token: the fetch is shared; the HttpClient's timeout bounds it.
            return _fetch = Task.Run(() => FetchAsync(CancellationToken.None));
        }
    }

    private async Task<SigningKeys> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var metadata = await GetJsonAsync(new Uri(metadataUrl), cancellationToken).ConfigureAwait(false);
            var jwksUri = metadata.RootElement.TryGetProperty("jwks_uri", out var uri) ? uri.GetString() : null;
            if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var jwks))
                throw new InvalidOperationException($"The OpenID metadata at {metadataUrl} has no valid jwks_uri.");
            using var keySet = await GetJsonAsync(jwks, cancellationToken).ConfigureAwait(false);
            var keys = Parse(keySet.RootElement.GetRawText()) with { FetchedAt = time.GetUtcNow() };
            Volatile.Write(ref _current, keys);
            Log.SigningKeysLoaded(logger, keys.Keys.Count, metadataUrl);
            return keys;
        }
        catch (Exception ex) when (Volatile.Read(ref _current) is { } current)
        {
            // Keep validating with the keys we have; the next stale check or unknown key id tries again.
            Log.SigningKeysRefreshFailed(logger, metadataUrl, ex);
            return current;
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
