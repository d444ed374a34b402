using Bot.Core.Places;
using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>The token budgets: the user's, the place's and the tenant's, each read from the ledger only when limited.</summary>
public sealed partial class BudgetGate
{
    private async Task<string?> TokenRefusalAsync(string channel, string userId, EffectiveSettings? place, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var userDaily = place?.Tokens(SettingNames.PerUserDailyTokens) ?? options.PerUserDailyTokens;
        var userMonthly = place?.Tokens(SettingNames.PerUserMonthlyTokens) ?? options.PerUserMonthlyTokens;
        var user = userDaily > 0 || userMonthly > 0
            ? await ledger!.GetUserUsageAsync(channel, userId, day, cancellationToken).ConfigureAwait(false)
            : default;

        // The place limits: where each counts, and one read per place however many limits count there.
        var limits = new List<PlaceLimit>(3);
        if (place is not null)
        {
            AddLimit(limits, place.BudgetPlace(SettingNames.PerPlaceMonthlyTokens), monthly: true, place.Tokens(SettingNames.PerPlaceMonthlyTokens));
            if (options.PerTenantMonthlyTokens > 0 && place.Path.Tenant is { } tenant)
                AddLimit(limits, tenant, monthly: true, options.PerTenantMonthlyTokens);
            AddLimit(limits, place.BudgetPlace(SettingNames.PerPlaceDailyTokens), monthly: false, place.Tokens(SettingNames.PerPlaceDailyTokens));
        }

        var totals = new Dictionary<string, UsageTotals>(StringComparer.Ordinal);
        foreach (var limit in limits)
        {
            if (!totals.ContainsKey(limit.Place.Id))
                totals[limit.Place.Id] = await ledger!.GetPlaceUsageAsync(limit.Place.Id, day, cancellationToken).ConfigureAwait(false);
        }

        // Monthly limits first: when a month and a day are both used up, the daily reset would not help.
        if (userMonthly > 0 && user.MonthTokens >= userMonthly)
            return BudgetText.MonthlyUsed(userMonthly, now);
        foreach (var limit in limits)
        {
            if (limit.Monthly && totals[limit.Place.Id].MonthTokens >= limit.Tokens)
                return BudgetText.PlaceMonthlyUsed(limit.Place, limit.Tokens, now);
        }

        if (userDaily > 0 && user.DayTokens >= userDaily)
            return BudgetText.DailyUsed(userDaily, now);
        foreach (var limit in limits)
        {
            if (!limit.Monthly && totals[limit.Place.Id].DayTokens >= limit.Tokens)
                return BudgetText.PlaceDailyUsed(limit.Place, limit.Tokens, now);
        }

        return null;
    }

    private static void AddLimit(List<PlaceLimit> limits, Place place, bool monthly, long tokens)
    {
        if (tokens > 0)
            limits.Add(new PlaceLimit(place, monthly, tokens));
    }

    private readonly record struct PlaceLimit(Place Place, bool Monthly, long Tokens);
}
