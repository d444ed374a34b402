using System.Text.RegularExpressions;

namespace Bot.Discord.Rest;

/// <summary>
/// A REST route as Discord's rate limits see it: the method and the path with ids replaced (the route),
/// plus the top-level resource (the "major parameter": channel, guild or webhook + token), which splits buckets.
/// </summary>
internal readonly partial record struct RouteKey(string Route, string Major)
{
    public static RouteKey From(HttpMethod method, string path)
    {
        var major = MajorPattern().Match(path) is { Success: true } m ? m.Value : "";
        var template = IdPattern().Replace(path, ":id");
        template = WebhookTokenPattern().Replace(template, "/webhooks/:id/:token");
        template = InteractionPattern().Replace(template, "/interactions/:id/:token");
        return new RouteKey($"{method.Method} {template}", major);
    }

    [GeneratedRegex(@"^/(channels|guilds)/\d+|^/webhooks/\d+/[^/?]+", RegexOptions.CultureInvariant)]
    private static partial Regex MajorPattern();

    [GeneratedRegex(@"(?<=/)\d{5,20}(?=/|$|\?)", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"/webhooks/:id/[^/?]+", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookTokenPattern();

    [GeneratedRegex(@"/interactions/:id/[^/?]+", RegexOptions.CultureInvariant)]
    private static partial Regex InteractionPattern();
}
