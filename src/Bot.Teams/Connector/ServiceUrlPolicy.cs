using Bot.Core.Net;
using Bot.Teams.Auth;

namespace Bot.Teams.Connector;

/// <summary>
/// Where the bot's Connector calls, and with them its token, may go. An activity's serviceUrl must be an absolute
/// http(s) URL without credentials, query or fragment, on a host of <c>Teams:ServiceUrlHosts</c> (default: the public
/// cloud's Connector hosts), over https; plain http only to a loopback address listed there (tests, local fakes).
/// In local mode (no app id, so no token) only loopback addresses: nobody may steer the bot into posting to another
/// machine. The Connector client asks again before every call, so an address stored earlier cannot get around it.
/// </summary>
internal sealed class ServiceUrlPolicy
{
    /// <summary>
    /// The Bot Connector hosts of the public cloud: Teams' <c>https://smba.trafficmanager.net/{region}/</c> and the Bot
    /// Service's own <c>*.botframework.com</c>. Not <c>*.trafficmanager.net</c>: anyone can name an Azure Traffic Manager
    /// profile there.
    /// </summary>
    public static readonly IReadOnlyList<string> PublicCloudHosts = ["smba.trafficmanager.net", "*.botframework.com"];

    private readonly bool _localMode;
    private readonly HostAllowList _hosts;

    public ServiceUrlPolicy(TeamsOptions options)
    {
        _localMode = !options.Authenticated;
        _hosts = new HostAllowList(options.ServiceUrlHosts.Count > 0 ? options.ServiceUrlHosts.AsEnumerable() : PublicCloudHosts, "Teams:ServiceUrlHosts");
    }

    /// <summary>Null when the activity's serviceUrl may be used; else 400 (not a plain base URL) or 403 (a host not allowed).</summary>
    public AuthOutcome? Refusal(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            return AuthOutcome.BadRequest("the serviceUrl is not an absolute http(s) URL");
        if (url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
            return AuthOutcome.BadRequest("the serviceUrl carries credentials, a query or a fragment");
        return MayReceiveToken(url) ? null : AuthOutcome.Forbidden($"the serviceUrl host {url.Authority} is not in Teams:ServiceUrlHosts");
    }

    /// <summary>True when a Connector call (and the bot's token) may go to <paramref name="url"/>.</summary>
    public bool MayReceiveToken(Uri url)
    {
        if (_localMode)
            return url.IsLoopback && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
        return _hosts.IsAllowed(url);
    }
}
