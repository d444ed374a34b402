using System.Net;
using Bot.Teams.Auth;
using Microsoft.AspNetCore.Http;

namespace Bot.Teams;

/// <summary>
/// Local mode's "this machine only". The client address alone is not enough: a page on a domain that resolves to
/// 127.0.0.1 (DNS rebinding) makes the browser on this machine the client. So the request must also be addressed to
/// this machine by name (the Host header: localhost, a loopback address) and, when a browser names the page that
/// sent it (Origin), come from a page of this machine.
/// </summary>
internal static class LocalCallers
{
    /// <summary>Null when the request may be served in local mode; else why not.</summary>
    public static AuthOutcome? Refusal(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            return AuthOutcome.Unauthorized("local mode accepts loopback callers only");
        var host = context.Request.Host.Host;
        if (!IsLoopbackName(host))
            return AuthOutcome.Forbidden($"local mode serves requests for this machine only, not for host '{host}'");
        var origin = context.Request.Headers.Origin;
        if (origin.Count > 0 && !(Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var page) && IsLoopbackName(page.Host)
            && (page.Scheme == Uri.UriSchemeHttp || page.Scheme == Uri.UriSchemeHttps)))
            return AuthOutcome.Forbidden($"local mode refuses requests from pages of other sites (Origin '{origin}')");
        return null;
    }

    private static bool IsLoopbackName(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
