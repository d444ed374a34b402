using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
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
    /// <summary>The request's key is not one of the configured keys.</summary>
    KeyWrong,
}

/// <summary>
/// Who may use the chat: loopback callers by default; anyone else only with one of <c>Web:AccessKeys</c>,
/// sent in the <c>X-Access-Key</c> header or the cookie that <c>POST /api/access</c> sets.
/// </summary>
internal sealed class AccessGate
{
    public const string KeyHeader = "X-Access-Key";
    public const string KeyCookie = "bot_web_key";

    private readonly byte[][] _keyHashes;
    private readonly bool _requireKey;

    public AccessGate(IOptions<WebChatOptions> options)
    {
        _keyHashes = [.. options.Value.AccessKeys.Select(k => Hash(k.Trim()))];
        _requireKey = options.Value.RequireAccessKey;
    }

    /// <summary>True when keys are configured (so the page can offer a key form).</summary>
    public bool HasKeys => _keyHashes.Length > 0;

    public AccessVerdict Check(HttpContext context)
    {
        if (!_requireKey && IsLoopback(context.Connection.RemoteIpAddress))
            return AccessVerdict.Allowed;
        if (_keyHashes.Length == 0)
            return AccessVerdict.LoopbackOnly;

        var key = context.Request.Headers[KeyHeader].FirstOrDefault() ?? context.Request.Cookies[KeyCookie];
        if (string.IsNullOrEmpty(key))
            return AccessVerdict.KeyMissing;
        return IsValidKey(key) ? AccessVerdict.Allowed : AccessVerdict.KeyWrong;
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

    /// <summary>Keeps a valid key in an HttpOnly cookie so that the page (and its event stream) carry it.</summary>
    public static void RememberKey(HttpContext context, string key) =>
        context.Response.Cookies.Append(KeyCookie, key.Trim(), Cookie(context, TimeSpan.FromDays(30)));

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

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
