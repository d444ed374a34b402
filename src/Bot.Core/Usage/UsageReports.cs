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
/// <param name="ledger">The usage ledger; null: every report is zero.</param>
/// <param name="settings">The per-place settings (the limits in force and where a place's budget counts).</param>
/// <param name="time">The clock of "today" and "this month" (UTC).</param>
/// <param name="prices">Model prices for the estimated costs; null or empty: no costs (and no read for them).</param>
public sealed class UsageReports(IUsageLedger? ledger, PlaceSettings settings, TimeProvider time, PriceOptions? prices = null)
{
    /// <summary>How many top users a place report lists.</summary>
    public const int TopUserCount = 10;

    private bool Priced => ledger is not null && prices is { Models.Count: > 0 };

    /// <summary>The user's usage today and this month, with the per-user limits in force at <paramref name="path"/>.</summary>
    public async Task<UserUsageReport> ForUserAsync(string channel, string userId, PlacePath path, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var effective = await settings.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        var totals = ledger is null ? default : await ledger.GetUserUsageAsync(channel, userId, today, cancellationToken).ConfigureAwait(false);
        var (dayCost, monthCost) = Priced
            ? UsageCosts.Of(prices!, await ledger!.GetModelUsageAsync(UsageOwner.User(channel, userId), today, cancellationToken).ConfigureAwait(false))
            : (null, null);
        return new UserUsageReport(channel, userId,
            new UsagePeriod(totals.DayTokens, totals.DayTurns, effective.Tokens(SettingNames.PerUserDailyTokens), BudgetText.NextDay(now), dayCost),
            new UsagePeriod(totals.MonthTokens, totals.MonthTurns, effective.Tokens(SettingNames.PerUserMonthlyTokens), BudgetText.NextMonth(now), monthCost));
    }

    /// <summary>The totals of the place a per-place budget counts at <paramref name="path"/>, and its top users this month.</summary>
    public async Task<PlaceUsageReport> ForPlaceAsync(PlacePath path, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var effective = await settings.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        var place = effective.BudgetPlace(SettingNames.PerPlaceMonthlyTokens);
        UsageTotals totals = default;
        IReadOnlyList<PlaceUserUsage> top = [];
        (decimal? Day, decimal? Month) cost = (null, null);
        if (ledger is not null)
        {
            totals = await ledger.GetPlaceUsageAsync(place.Id, today, cancellationToken).ConfigureAwait(false);
            top = await ledger.GetTopPlaceUsersAsync(place.Id, today, TopUserCount, cancellationToken).ConfigureAwait(false);
            if (Priced)
                cost = UsageCosts.Of(prices!, await ledger.GetModelUsageAsync(UsageOwner.Place(place.Id), today, cancellationToken).ConfigureAwait(false));
        }

        return new PlaceUsageReport(place,
            new UsagePeriod(totals.DayTokens, totals.DayTurns, effective.Tokens(SettingNames.PerPlaceDailyTokens), BudgetText.NextDay(now), cost.Day),
            new UsagePeriod(totals.MonthTokens, totals.MonthTurns, effective.Tokens(SettingNames.PerPlaceMonthlyTokens), BudgetText.NextMonth(now), cost.Month),
            [.. top.Select(u => new UserUsageRow(u.Channel, u.UserId, u.DisplayName, u.Tokens, u.Turns,
                prices?.Cost(u.Models.Select(m => (m.Model, m.Usage)))))]);
    }
}
