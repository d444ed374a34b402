using System.Text;
using Bot.Core.Places;
using Bot.Core.Usage;

namespace Bot.Discord.Adapter;

/// <summary>
/// <c>/usage</c> as a Discord embed: the user's tokens today and this month with what is left and when it resets (and
/// the estimated cost where known); for a member with Manage Server also the place's totals and its top users. Names
/// come from Discord (untrusted): they go in as plain text with Markdown and mention syntax escaped, so a name renders
/// as written and never addresses anyone.
/// </summary>
internal static class UsageEmbed
{
    private const int FieldValueLimit = 1024;

    public static JsonObject Build(UserUsageReport user, PlaceUsageReport? place, DateTimeOffset now)
    {
        var fields = new JsonArray(
            Field("Today", SettingsText.Period(user.Today, now)),
            Field("This month", SettingsText.Period(user.Month, now)));
        if (place is not null)
        {
            var name = $"{SettingsText.KindName(place.Place.Kind, capital: true)} {place.Place.Id}";
            fields.Add(Field($"{name}: today", SettingsText.Period(place.Today, now)));
            fields.Add(Field($"{name}: this month", SettingsText.Period(place.Month, now)));
            if (place.TopUsers.Count > 0)
            {
                var lines = new StringBuilder();
                for (var i = 0; i < place.TopUsers.Count; i++)
                {
                    var row = place.TopUsers[i];
                    var line = $"{i + 1}. {Escape(SettingsText.UserName(row))}: {SettingsText.Tokens(row.Tokens, row.Turns)}{SettingsText.Cost(row.EstimatedCost, ", ")}";
                    if (lines.Length + line.Length + 1 > FieldValueLimit)
                        break;
                    lines.Append(line).Append('\n');
                }

                fields.Add(Field("Top users this month", lines.ToString().TrimEnd('\n')));
            }
        }

        return new JsonObject
        {
            ["title"] = user.Exempt ? "Your usage (no limits apply to you)" : "Your usage",
            ["fields"] = fields,
        };
    }

    /// <summary>Text with Discord's Markdown, mention and link syntax escaped (a backslash before each such character).</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '<' or '@' or '#' or '[' or ']' or '(' or ')')
                escaped.Append('\\');
            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static JsonObject Field(string name, string value) => new()
    {
        ["name"] = name.Length <= 256 ? name : name[..255] + "…",
        ["value"] = value.Length <= FieldValueLimit ? value : value[..(FieldValueLimit - 1)] + "…",
        ["inline"] = false,
    };
}
