using Bot.Core.Places;
using Bot.Core.Usage;
using Bot.Web.Access;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Api;

/// <summary>
/// <c>GET /api/usage</c>: the visitor's own usage today and this month, what is left and when it resets (the page's
/// usage panel). Like every API route it is host-checked and needs the visitor's access. Visitors are no admins: the web
/// has no settings commands and shows no place totals.
/// </summary>
internal static partial class WebChatEndpoints
{
    /// <summary>
    /// The place of a visitor's conversations, <c>web:{visitor}</c>: the hash of their cookie id that the bot already
    /// records as the author of their messages, not the cookie itself, so it can appear in configuration and logs.
    /// </summary>
    public static PlacePath VisitorPlace(string visitor) => PlacePath.Of(new Place("web:" + visitor, PlaceKind.Visitor));

    private static async Task<IResult> UsageAsync(HttpContext context, UsageReports usage)
    {
        var visitor = VisitorDirectory.Visitor(context);
        var report = await usage.ForUserAsync(WebChannel.ChannelName, visitor, VisitorPlace(visitor), context.RequestAborted).ConfigureAwait(false);
        // UsagePeriod serializes as the page reads it: tokens, turns, limit, remaining, resetsAt, estimatedCost.
        return Results.Json(new { today = report.Today, month = report.Month, exempt = report.Exempt }, WebJson.Options);
    }
}
