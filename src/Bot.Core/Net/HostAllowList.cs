namespace Bot.Core.Net;

/// <summary>
/// The hosts a channel may download from, as <see cref="HostPattern"/> entries (<c>cdn.example.com</c>,
/// <c>*.sharepoint.com</c>, <c>127.0.0.1:8080</c>), over https; plain http only to a listed loopback address.
/// </summary>
public sealed class HostAllowList
{
    private readonly string[] _patterns;

    /// <param name="patterns">The allowed hosts.</param>
    /// <param name="setting">The configuration key that lists them, named in refusals (for example <c>Discord:AttachmentHosts</c>).</param>
    public HostAllowList(IEnumerable<string> patterns, string setting)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = [.. patterns];
        Setting = setting;
    }

    /// <summary>The configuration key that lists the hosts.</summary>
    public string Setting { get; }

    /// <summary>True when <paramref name="url"/> is on a listed host and uses https (or http to loopback).</summary>
    public bool IsAllowed(Uri url) => LoopbackHttp.IsAllowed(url) && HostPattern.MatchesAny(_patterns, url);
}
