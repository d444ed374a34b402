namespace Bot.Core.Net;

/// <summary>The check of an endpoint named in configuration (an HTTP tool, an MCP server): what is wrong with it, if anything.</summary>
public static class ConfiguredUrl
{
    /// <summary>Null for an absolute https URL without credentials (http only for loopback); otherwise the problem, as a sentence.</summary>
    public static string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return "missing.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return $"'{url}' is not an absolute https URL.";
        if (!LoopbackHttp.IsAllowed(uri))
            return $"'{url}' must use https (plain http is allowed only for loopback addresses).";
        if (uri.UserInfo.Length > 0)
            return "must not carry credentials; put them in Headers (with ${env:NAME}).";
        return null;
    }
}
