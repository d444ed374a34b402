using Bot.Core.Places;
using Bot.Core.Usage;
using Bot.Teams.Adapter;

namespace Bot.Teams.Replies;

/// <summary>
/// <c>usage</c> as an Adaptive Card (1.4): the user's own tokens today and this month with what is left and when it
/// resets, and for an admin the place's totals and its top users. Numbers go in fact sets; names (the platform's,
/// untrusted) in text runs, which show text as written.
/// </summary>
internal static class UsageCard
{
    public static JsonObject Activity(ReplyAddress address, UserUsageReport user, PlaceUsageReport? place, DateTimeOffset now) =>
        OutgoingActivities.Card(address, Card(user, place, now));

    public static JsonObject Card(UserUsageReport user, PlaceUsageReport? place, DateTimeOffset now)
    {
        var body = new JsonArray(Heading(user.Exempt ? "Your usage (no limits apply to you)" : "Your usage"), Facts(user.Today, user.Month, now));
        if (place is not null)
        {
            body.Add(ApprovalCard.Run($"{SettingsText.KindName(place.Place.Kind, capital: true)} {place.Place.Id}", bold: true));
            body.Add(Facts(place.Today, place.Month, now));
            if (place.TopUsers.Count > 0)
                body.Add(Heading("Top users this month"));
            for (var i = 0; i < place.TopUsers.Count; i++)
            {
                var row = place.TopUsers[i];
                body.Add(ApprovalCard.Run($"{i + 1}. {SettingsText.UserName(row)}: {SettingsText.Tokens(row.Tokens, row.Turns)}{SettingsText.Cost(row.EstimatedCost, ", ")}"));
            }
        }

        return new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
    }

    private static JsonObject Heading(string text) => new()
    {
        ["type"] = "TextBlock",
        ["text"] = text,
        ["weight"] = "bolder",
        ["wrap"] = true,
    };

    private static JsonObject Facts(UsagePeriod today, UsagePeriod month, DateTimeOffset now)
    {
        var facts = new JsonArray();
        void Add(string title, string value) => facts.Add(new JsonObject { ["title"] = title, ["value"] = value });
        Add("Today", SettingsText.Tokens(today.Tokens, today.Turns) + SettingsText.Cost(today.EstimatedCost, ", "));
        Add("Left today", SettingsText.Left(today));
        if (today.Limit > 0)
            Add("Resets", SettingsText.Resets(today, now));
        Add("This month", SettingsText.Tokens(month.Tokens, month.Turns) + SettingsText.Cost(month.EstimatedCost, ", "));
        Add("Left this month", SettingsText.Left(month));
        if (month.Limit > 0)
            Add("Month resets", SettingsText.Resets(month, now));
        return new JsonObject { ["type"] = "FactSet", ["facts"] = facts };
    }
}
