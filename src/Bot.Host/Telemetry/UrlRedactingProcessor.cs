using System.Diagnostics;
using OpenTelemetry;

namespace Bot.Host.Telemetry;

/// <summary>
/// Outgoing HTTP spans keep scheme, host and path only: query strings (where tokens and keys may travel) and user
/// information are dropped before export. Headers are never recorded.
/// </summary>
internal sealed class UrlRedactingProcessor : BaseProcessor<Activity>
{
    private static readonly string[] s_urlTags = ["url.full", "http.url"];

    public override void OnEnd(Activity data)
    {
        foreach (var tag in s_urlTags)
        {
            if (data.GetTagItem(tag) is string url)
                data.SetTag(tag, Redact(url));
        }
    }

    internal static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Path).Replace(uri.UserInfo.Length > 0 ? uri.UserInfo + "@" : "\0", "", StringComparison.Ordinal)
            : "";
}
