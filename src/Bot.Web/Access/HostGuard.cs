using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Web.Access;

/// <summary>
/// Which host names the chat answers to. A page on another site whose name resolves to this machine (DNS rebinding)
/// reaches the bot from a loopback address, so the client address alone cannot tell "this machine"; the Host
/// header can, because a browser always sends the name from the page's own address. Allowed: localhost, any IP
/// address (a rebinding page has a name, never an address), the hosts of the server's URLs, and <c>Web:AllowedHosts</c>.
/// </summary>
internal sealed class HostGuard
{
    private static readonly string[] s_loopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly HashSet<string> _configured = new(StringComparer.Ordinal);
    private readonly List<string> _suffixes = [];
    private readonly bool _anyHost;
    private readonly IServer? _server;
    private volatile HashSet<string>? _names;

    public HostGuard(IOptions<WebChatOptions> options, IConfiguration configuration, IServer? server = null)
    {
        _server = server;
        foreach (var entry in options.Value.AllowedHosts.Select(Normalize).OfType<string>())
        {
            if (entry == "*")
                _anyHost = true;
            else if (entry.StartsWith("*.", StringComparison.Ordinal))
                _suffixes.Add(entry[1..]);
            else
                _configured.Add(entry);
        }

        // The URLs the operator gave (--urls, ASPNETCORE_URLS, urls, Kestrel endpoints); the server's bound ones join at the first request.
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        foreach (var url in urls)
            AddUrlHost(_configured, url);
    }

    /// <summary>True when the request's Host (port ignored) is one the chat answers to.</summary>
    public bool IsAllowedHost(HostString host)
    {
        if (_anyHost)
            return true;
        var name = host.HasValue ? Normalize(host.Value) : null;
        return name is not null && !name.Contains('*', StringComparison.Ordinal) && (IsAddress(name) || IsNamed(name));
    }

    /// <summary>
    /// True when a request that changes something may come from <paramref name="origin"/>: the page's own origin (the
    /// request's Host) or a page at a named allowed host. Unlike the Host check, any IP address or <c>*</c> is not enough.
    /// </summary>
    public bool IsAllowedOrigin(string origin, HostString requestHost)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            return false;
        if (requestHost.HasValue && string.Equals(uri.Authority, requestHost.Value, StringComparison.OrdinalIgnoreCase))
            return true;
        var name = Normalize(uri.Authority);
        return name is not null && !name.Contains('*', StringComparison.Ordinal) && IsNamed(name);
    }

    /// <summary>A host entry in its compared form (lowercase, no port, IPv6 in brackets), or null when it is not a host.</summary>
    public static string? Normalize(string? entry)
    {
        var host = entry?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(host) || host.Length > 260)
            return null;
        if (host == "*")
            return host;
        if (IPAddress.TryParse(host, out var bare) && bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !host.StartsWith('['))
            return "[" + bare + "]";

        // Drop a port: "name:8080", "[::1]:8080".
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < host.Length && !IsPort(host[(close + 1)..])))
                return null;
            return IPAddress.TryParse(host[1..close], out var v6) ? "[" + v6 + "]" : null;
        }

        var colon = host.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!IsPort(host[colon..]))
                return null;
            host = host[..colon];
        }

        host = host.TrimEnd('.');
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Length > 0 && Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4 ? host : null;
    }

    private bool IsNamed(string name) =>
        Names().Contains(name) || _suffixes.Exists(suffix => name.EndsWith(suffix, StringComparison.Ordinal));

    private HashSet<string> Names()
    {
        if (_names is { } known)
            return known;
        var names = new HashSet<string>(s_loopbackNames.Concat(_configured), StringComparer.Ordinal);
        var bound = _server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (bound is not { Count: > 0 })
            return names; // not listening yet: look again next time
        foreach (var address in bound)
            AddUrlHost(names, address);
        _names = names;
        return names;
    }

    private static bool IsAddress(string name) =>
        IPAddress.TryParse(name.StartsWith('[') ? name[1..^1] : name, out _);

    // Wildcard hosts (0.0.0.0, [::], *, +) listen everywhere and name nothing a browser would use.
    private static void AddUrlHost(HashSet<string> names, string url)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(url).Host;
        }
        catch (FormatException)
        {
            return;
        }

        if (host is "*" or "+" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) &&
                                   (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))))
            return;
        if (Normalize(host) is { } name && !name.Contains('*', StringComparison.Ordinal))
            names.Add(name);
    }

    private static bool IsPort(string colonAndDigits) =>
        colonAndDigits.Length is > 1 and <= 6 && colonAndDigits[0] == ':' && colonAndDigits[1..].All(char.IsAsciiDigit);
}
