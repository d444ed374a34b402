using System.Globalization;

namespace Bot.Core.Net;

/// <summary>
/// One entry of a host allow-list: an exact name (<c>smba.trafficmanager.net</c>), a suffix (<c>*.botframework.com</c>,
/// which matches subdomains only, never <c>evilbotframework.com</c>), or an IP literal (<c>127.0.0.1</c>, <c>[::1]</c>),
/// each optionally with <c>:port</c> (then only that port matches).
/// </summary>
public static class HostPattern
{
    /// <summary>True when any of <paramref name="patterns"/> matches the URL's host (and port, where the pattern names one).</summary>
    public static bool MatchesAny(IEnumerable<string> patterns, Uri url) => patterns.Any(pattern => Matches(pattern, url));

    public static bool Matches(string pattern, Uri url)
    {
        if (!TryParse(pattern, out var host, out var port) || (port is { } only && url.Port != only))
            return false;
        return host.StartsWith("*.", StringComparison.Ordinal)
            ? url.Host.Length > host.Length - 1 && url.Host.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(url.Host, host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits <c>host[:port]</c>; false for anything else (a scheme, a path, a wildcard elsewhere, a bad port).</summary>
    public static bool TryParse(string pattern, out string host, out int? port)
    {
        var text = pattern.Trim();
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? text : text[..(close + 1)];
            if (close >= 0 && close + 1 < text.Length)
                portText = text[close + 1] == ':' ? text[(close + 2)..] : "x";
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }

        port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
                return false;
            port = number;
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Length > 0 && !name.Contains('*', StringComparison.Ordinal) && Uri.CheckHostName(name.Trim('[', ']')) != UriHostNameType.Unknown;
    }
}
