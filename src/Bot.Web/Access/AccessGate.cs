using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Bot.Web.Access;

/// <summary>Why a request may or may not use the chat.</summary>
internal enum AccessVerdict
{
    Allowed,
    /// <summary>Not from loopback and no access keys are configured.</summary>
    LoopbackOnly,
    /// <summary>A key is needed and none came with the request.</summary>
    KeyMissing,
    /// <summary>The request's key (<c>X-Access-Key</c>) is not one of the configured keys.</summary>
    KeyWrong,
    /// <summary>The access cookie is not valid (any more): signed for a key that was removed, expired, or forged.</summary>
    PassInvalid,
}

/// <summary>
/// Who may use the chat: loopback callers by default; anyone else only with one of <c>Web:AccessKeys</c>, sent in
/// the <c>X-Access-Key</c> header, or proven by the cookie that <c>POST /api/access</c> sets. The cookie never holds
/// the key: it holds when it was issued and an HMAC, under the bot's <see cref="WebSecret"/>, of that time and the
/// key's hash, so a leaked cookie reveals no key, stops working after 30 days, and stops working when its key is removed.
/// </summary>
internal sealed class AccessGate
{
    public const string KeyHeader = "X-Access-Key";
    public const string KeyCookie = "bot_web_key";

    private const string PassPurpose = "access-pass";
    private static readonly TimeSpan s_passLifetime = TimeSpan.FromDays(30);

    private readonly byte[][] _keyHashes;
    private readonly bool _requireKey;
    private readonly WebSecret _secret;
    private readonly TimeProvider _time;

    public AccessGate(IOptions<WebChatOptions> options, WebSecret secret, TimeProvider time)
    {
        _keyHashes = [.. options.Value.AccessKeys.Select(k => Hash(k.Trim()))];
        _requireKey = options.Value.RequireAccessKey;
        _secret = secret;
        _time = time;
    }

    /// <summary>True when keys are configured (so the page can offer a key form).</summary>
    public bool HasKeys => _keyHashes.Length > 0;

    /// <summary>True when this request needs a key: it is not from loopback, or keys are required from loopback too.</summary>
    public bool NeedsKey(HttpContext context) => _requireKey || !IsLoopback(context.Connection.RemoteIpAddress);

    /// <summary>The raw key this request carries in <c>X-Access-Key</c>, if any.</summary>
    public static string? PresentedKey(HttpContext context) => context.Request.Headers[KeyHeader].FirstOrDefault() is { Length: > 0 } key ? key : null;

    public async Task<AccessVerdict> CheckAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        if (!NeedsKey(context))
            return AccessVerdict.Allowed;
        if (_keyHashes.Length == 0)
            return AccessVerdict.LoopbackOnly;

        if (PresentedKey(context) is { } key)
            return IsValidKey(key) ? AccessVerdict.Allowed : AccessVerdict.KeyWrong;
        var pass = context.Request.Cookies[KeyCookie];
        if (string.IsNullOrEmpty(pass))
            return AccessVerdict.KeyMissing;
        return await IsValidPassAsync(pass, cancellationToken).ConfigureAwait(false) ? AccessVerdict.Allowed : AccessVerdict.PassInvalid;
    }

    /// <summary>True when <paramref name="key"/> is one of the configured keys (compared in constant time).</summary>
    public bool IsValidKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
            return false;
        var hash = Hash(key.Trim());
        var match = false;
        foreach (var candidate in _keyHashes)
            match |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        return match;
    }

    /// <summary>Sets the HttpOnly cookie that proves a valid key, so that the page (and its event stream) carry it.</summary>
    public async Task RememberKeyAsync(HttpContext context, string key, CancellationToken cancellationToken = default)
    {
        var issued = _time.GetUtcNow().ToUnixTimeSeconds();
        var mac = await PassMacAsync(issued, Hash(key.Trim()), cancellationToken).ConfigureAwait(false);
        var pass = issued.ToString(CultureInfo.InvariantCulture) + "." + WebEncoders.Base64UrlEncode(mac);
        context.Response.Cookies.Append(KeyCookie, pass, Cookie(context, s_passLifetime));
    }

    /// <summary>The options of the chat's cookies: HttpOnly, same-site only, Secure over HTTPS.</summary>
    public static CookieOptions Cookie(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };

    internal static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    // Every configured key is tried, always all of them, so the time taken says nothing about which one matched.
    private async Task<bool> IsValidPassAsync(string pass, CancellationToken cancellationToken)
    {
        var dot = pass.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(pass.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
            return false;
        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Min(issued, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (age > s_passLifetime || age < -TimeSpan.FromMinutes(5))
            return false;

        byte[] presented;
        try
        {
            presented = WebEncoders.Base64UrlDecode(pass, dot + 1, pass.Length - dot - 1);
        }
        catch (FormatException)
        {
            return false;
        }

        var match = false;
        foreach (var keyHash in _keyHashes)
            match |= CryptographicOperations.FixedTimeEquals(await PassMacAsync(issued, keyHash, cancellationToken).ConfigureAwait(false), presented);
        return match;
    }

    private Task<byte[]> PassMacAsync(long issued, byte[] keyHash, CancellationToken cancellationToken) =>
        _secret.SignAsync(PassPurpose, Encoding.ASCII.GetBytes(issued.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToHexString(keyHash)),
            cancellationToken);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
