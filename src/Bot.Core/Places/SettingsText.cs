using System.Globalization;
using System.Text;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Usage;

namespace Bot.Core.Places;

/// <summary>
/// Plain text for the text commands (<see cref="SettingsCommand"/>): the settings in force with where each comes from,
/// a place's change history, and usage reports. One line per item; a channel joins them its own way. The pieces of a
/// usage period are public for channels that lay them out themselves (a Teams card, the web panel).
/// </summary>
public static class SettingsText
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>Every setting in force (value, source and origin), instructions shortened.</summary>
    public static string Show(EffectiveSettings settings, IReadOnlyList<SettingDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lines = new List<string> { $"Settings at {settings.Path.Nearest.Id} ({settings.Path}):" };
        foreach (var definition in definitions)
        {
            if (settings.Find(definition.Name) is not { } value)
                continue;
            lines.Add($"• {definition.Name}: {PlaceSettings.Display(definition, value.Value)} ({SourceName(value.Source)}: {value.Origin})");
        }

        return string.Join('\n', lines);
    }

    /// <summary>The latest changes made by command at <paramref name="place"/>, newest first.</summary>
    public static string History(Place place, IReadOnlyList<PlaceSettingChange> changes)
    {
        ArgumentNullException.ThrowIfNull(place);
        if (changes.Count == 0)
            return $"No setting was changed by command at {place.Id}.";
        var lines = new List<string> { $"Changes at {place.Id}, newest first:" };
        foreach (var change in changes)
        {
            var what = change.Value is null ? "cleared" : "= " + Quote(change.Value, 80);
            lines.Add(string.Create(s_invariant, $"• {change.ChangedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC {change.Name} {what} by {change.ChangedBy}"));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The user's usage today and this month, and for an admin the place's totals and top users.</summary>
    public static string Usage(UserUsageReport user, PlaceUsageReport? place, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lines = new List<string>
        {
            user.Exempt ? "Your usage (no limits apply to you):" : "Your usage:",
            "• Today: " + Period(user.Today, now),
            "• This month: " + Period(user.Month, now),
        };
        if (place is not null)
        {
            lines.Add($"{KindName(place.Place.Kind, capital: true)} {place.Place.Id}:");
            lines.Add("• Today: " + Period(place.Today, now));
            lines.Add("• This month: " + Period(place.Month, now));
            if (place.TopUsers.Count > 0)
                lines.Add("Top users this month:");
            for (var i = 0; i < place.TopUsers.Count; i++)
            {
                var row = place.TopUsers[i];
                lines.Add(string.Create(s_invariant, $"{i + 1}. {UserName(row)}: {Tokens(row.Tokens, row.Turns)}{Cost(row.EstimatedCost, ", ")}"));
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>"1,234 tokens in 3 turns; 8,766 of 10,000 left; resets 00:00 UTC (in 5 h)", and the estimated cost when known.</summary>
    public static string Period(UsagePeriod period, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(period);
        return $"{Tokens(period.Tokens, period.Turns)}{Cost(period.EstimatedCost, ", ")}; {Left(period)}" +
               (period.Limit > 0 ? "; resets " + Resets(period, now) : "");
    }

    /// <summary>"1,234 tokens in 3 turns".</summary>
    public static string Tokens(long tokens, long turns) =>
        string.Create(s_invariant, $"{tokens:N0} {(tokens == 1 ? "token" : "tokens")} in {turns:N0} {(turns == 1 ? "turn" : "turns")}");

    /// <summary>"8,766 of 10,000 left", or "no limit".</summary>
    public static string Left(UsagePeriod period) =>
        period.Remaining is { } remaining ? string.Create(s_invariant, $"{remaining:N0} of {period.Limit:N0} left") : "no limit";

    /// <summary>"00:00 UTC (in 5 h)" for a reset within a day, "1 January 00:00 UTC (in 3 d 4 h)" otherwise.</summary>
    public static string Resets(UsagePeriod period, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(period);
        var wait = period.ResetsAt - now;
        var when = wait <= TimeSpan.FromDays(1) ? "00:00 UTC" : period.ResetsAt.UtcDateTime.ToString("d MMMM", s_invariant) + " 00:00 UTC";
        return $"{when} (in {BudgetText.Duration(wait)})";
    }

    /// <summary>"≈ $0.0123", or empty when the cost is unknown; <paramref name="separator"/> goes in front.</summary>
    public static string Cost(decimal? cost, string separator = "") =>
        cost is { } value ? separator + string.Create(s_invariant, $"≈ ${value:0.00##}") : "";

    /// <summary>A user's display name as plain one-line text (it comes from the platform), or their id.</summary>
    public static string UserName(UserUsageRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var name = new StringBuilder();
        foreach (var c in row.DisplayName ?? "")
        {
            if (!char.IsControl(c) && c is not ('\u2028' or '\u2029' or '\u200B' or '\u202E' or '\u202D'))
                name.Append(c);
        }

        var clean = name.ToString().Trim();
        clean = clean.Length == 0 ? row.UserId : clean;
        return clean.Length <= 64 ? clean : clean[..64] + "…";
    }

    /// <summary>"team", "server", "channel" …: what a place is, in words.</summary>
    public static string KindName(PlaceKind kind, bool capital = false)
    {
        var name = kind switch
        {
            PlaceKind.DirectChat => "chat",
            PlaceKind.GroupChat => "group chat",
            _ => kind.ToString().ToLowerInvariant(),
        };
        return capital ? char.ToUpperInvariant(name[0]) + name[1..] : name;
    }

    private static string SourceName(SettingSource source) => source switch
    {
        SettingSource.Command => "command",
        SettingSource.Configuration => "configuration",
        _ => "default",
    };

    private static string Quote(string value, int length) => "`" + SettingDefinition.OneLine(value, length) + "`";
}
