using Bot.Teams.Connector;
using Microsoft.Extensions.DependencyInjection;
using Bot.Core.Net;

namespace Bot.Teams.Adapter;

/// <summary>
/// Where Teams attachments are downloaded from: Teams' own Connector and SharePoint/OneDrive by default, plus
/// <c>Teams:AttachmentHosts</c>, through the core's allow-listed downloader (https only, redirects checked hop by hop).
/// </summary>
internal sealed class AttachmentHosts(TeamsOptions options, [FromKeyedServices(TeamsHttp.ClientKey)] HttpClient http)
{
    private static readonly string[] s_defaults =
        ["smba.trafficmanager.net", "*.trafficmanager.net", "*.teams.microsoft.com", "*.teams.microsoft.us", "*.sharepoint.com", "*.sharepoint.us",
         "*.sharepoint-df.com", "*.botframework.com"];

    /// <summary>The downloader for attachments (its client follows no redirect by itself).</summary>
    public AllowListedDownloader Downloads { get; } = new(http, new HostAllowList(s_defaults.Concat(options.AttachmentHosts), "Teams:AttachmentHosts"));
}

/// <summary>
/// The <see cref="Core.Conversations.IncomingAttachment.Source"/> of a Teams file: its URL and whether the bot's token goes
/// with the request (only for the Connector that sent the activity, never for SharePoint's pre-authorised links).
/// </summary>
internal static class AttachmentSource
{
    private const string Bot = "bot|";
    private const string Plain = "url|";

    public static string Format(Uri url, bool withToken) => (withToken ? Bot : Plain) + url.AbsoluteUri;

    public static (Uri Url, bool WithToken) Parse(string source)
    {
        var withToken = source.StartsWith(Bot, StringComparison.Ordinal);
        if (!withToken && !source.StartsWith(Plain, StringComparison.Ordinal))
            throw new FormatException("Not a Teams attachment source.");
        return (new Uri(source[Bot.Length..], UriKind.Absolute), withToken);
    }
}
