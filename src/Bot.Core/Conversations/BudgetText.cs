using System.Globalization;
using Bot.Core.Places;

namespace Bot.Core.Conversations;

/// <summary>The sentences that tell a user which budget is used up and when it resets (UTC).</summary>
public static class BudgetText
{
    /// <summary>The next 00:00 UTC.</summary>
    public static DateTimeOffset NextDay(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    /// <summary>00:00 UTC on the first of next month.</summary>
    public static DateTimeOffset NextMonth(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1));
    }

    public static string DailyUsed(long limit, DateTimeOffset now)
    {
        var reset = NextDay(now);
        return string.Create(CultureInfo.InvariantCulture,
            $"You've used your daily budget of {limit:N0} tokens; it resets at 00:00 UTC (in {Duration(reset - now)}).");
    }

    public static string MonthlyUsed(long limit, DateTimeOffset now)
    {
        var reset = NextMonth(now);
        return string.Create(CultureInfo.InvariantCulture,
            $"You've used your monthly budget of {limit:N0} tokens; it resets on {reset:d MMMM} at 00:00 UTC (in {Duration(reset - now)}).");
    }

    /// <summary>"This server's daily budget of 1,000 tokens is used up; it resets at 00:00 UTC (in 5 h 12 min)."</summary>
    public static string PlaceDailyUsed(Place place, long limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(place);
        var reset = NextDay(now);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Whose(place)} daily budget of {limit:N0} tokens is used up; it resets at 00:00 UTC (in {Duration(reset - now)}).");
    }

    /// <summary>"This team's monthly budget of 1,000 tokens is used up; it resets on 1 January at 00:00 UTC (in 27 d 5 h)."</summary>
    public static string PlaceMonthlyUsed(Place place, long limit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(place);
        var reset = NextMonth(now);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Whose(place)} monthly budget of {limit:N0} tokens is used up; it resets on {reset:d MMMM} at 00:00 UTC (in {Duration(reset - now)}).");
    }

    /// <summary>"This server's", "This team's", "This organization's" (a Teams tenant), "This chat's" …</summary>
    public static string Whose(Place place)
    {
        ArgumentNullException.ThrowIfNull(place);
        return "This " + (place.Kind == PlaceKind.Tenant ? "organization" : SettingsText.KindName(place.Kind)) + "'s";
    }

    public static string RateUsed(int limit, TimeSpan wait) =>
        string.Create(CultureInfo.InvariantCulture,
            $"You've sent {limit:N0} {(limit == 1 ? "message" : "messages")} in the last minute, the most allowed; you can send again in {Duration(wait)}.");

    /// <summary>"42 s", "12 min", "5 h 12 min", "3 d 4 h": seconds are rounded up to the next minute once a wait is a minute or more.</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));
        if (seconds < 60)
            return string.Create(CultureInfo.InvariantCulture, $"{seconds} s");

        var minutes = (seconds + 59) / 60;
        var (days, hours, rest) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
        if (days > 0)
            return hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"{days} d {hours} h") : string.Create(CultureInfo.InvariantCulture, $"{days} d");
        if (hours > 0)
            return rest > 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours} h {rest} min") : string.Create(CultureInfo.InvariantCulture, $"{hours} h");
        return string.Create(CultureInfo.InvariantCulture, $"{rest} min");
    }
}
