using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Storage;

namespace Bot.Core.Usage;

/// <summary>
/// Tokens and turns in one period (a UTC day or calendar month) against the limit in force (0 = none), when the period
/// resets, and the estimated cost where <c>OpenAI:Prices</c> names the models used (null otherwise).
/// </summary>
public sealed record UsagePeriod(long Tokens, long Turns, long Limit, DateTimeOffset ResetsAt, decimal? EstimatedCost = null)
{
    /// <summary>Tokens left before the limit, or null without a limit.</summary>
    public long? Remaining => Limit > 0 ? Math.Max(0, Limit - Tokens) : null;
}

/// <summary>A user's own usage (<c>/usage</c>): today and this month, over every place, against their limits.</summary>
public sealed record UserUsageReport(string Channel, string UserId, UsagePeriod Today, UsagePeriod Month, bool Exempt = false);

/// <summary>One user's share of a place's usage.</summary>
public sealed record UserUsageRow(string Channel, string UserId, string? DisplayName, long Tokens, long Turns, decimal? EstimatedCost = null);

/// <summary>A place's totals (for admins): today and this month against the place's limits, and its top users this month.</summary>
public sealed record PlaceUsageReport(Place Place, UsagePeriod Today, UsagePeriod Month, IReadOnlyList<UserUsageRow> TopUsers);

/// <summary>Builds the usage reports that <c>/usage</c> shows in every channel, from the usage ledger and the limits in force.</summary>
public sealed class UsageReports(IUsageLedger? ledger, PlaceSettings settings, TimeProvider time)
{
    /// <summary>How many top users a place report lists.</summary>
    public const int TopUserCount = 10;

    /// <summary>The user's usage today and this month, with the per-user limits in force at <paramref name="path"/>.</summary>
    public async Task<UserUsageReport> ForUserAsync(string channel, string userId, PlacePath path, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var effective = await settings.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        var totals = ledger is null ? default : await ledger.GetUserUsageAsync(channel, userId, today, cancellationToken).ConfigureAwait(false);
        return new UserUsageReport(channel, userId,
            new UsagePeriod(totals.DayTokens, totals.DayTurns, effective.Tokens(SettingNames.PerUserDailyTokens), BudgetText.NextDay(now)),
            new UsagePeriod(totals.MonthTokens, totals.MonthTurns, effective.Tokens(SettingNames.PerUserMonthlyTokens), BudgetText.NextMonth(now)));
    }

    /// <summary>The totals of the place a per-place budget counts at <paramref name="path"/>, and its top users this month.</summary>
    public async Task<PlaceUsageReport> ForPlaceAsync(PlacePath path, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var effective = await settings.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        var place = effective.BudgetPlace(SettingNames.PerPlaceMonthlyTokens);
        // The place's own totals come with the place ledger (issue 13, point 5).
        return new PlaceUsageReport(place,
            new UsagePeriod(0, 0, effective.Tokens(SettingNames.PerPlaceDailyTokens), BudgetText.NextDay(now)),
            new UsagePeriod(0, 0, effective.Tokens(SettingNames.PerPlaceMonthlyTokens), BudgetText.NextMonth(now)),
            []);
    }
}
