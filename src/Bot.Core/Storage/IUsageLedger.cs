namespace Bot.Core.Storage;

/// <summary>
/// The usage ledger: tokens and turns per channel user, place, model and UTC day, added to by every finished turn and
/// read by the budget check before a turn. Safe to call concurrently; concurrent records for one row all count.
/// </summary>
public interface IUsageLedger
{
    /// <summary>Adds one turn's usage to its row (created on first use) in one atomic step.</summary>
    Task RecordUsageAsync(UsageEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// A channel user's totals on <paramref name="day"/> and in the calendar month that contains it (UTC days), over
    /// every place and model.
    /// </summary>
    Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default);
}

/// <summary>One turn's usage as the ledger records it.</summary>
/// <param name="Channel">The chat channel ("discord", "teams", "web", "terminal").</param>
/// <param name="UserId">The channel's id of the user charged for the turn.</param>
/// <param name="PlaceId">
/// Where the turn happened. For now the conversation key (<c>channel:conversation id</c>); when places land, the place
/// id, with no change to the schema.
/// </param>
/// <param name="Model">The model the backend asked for.</param>
/// <param name="Day">The UTC day the turn finished.</param>
/// <param name="Usage">The tokens the backend reported.</param>
public sealed record UsageEntry(string Channel, string UserId, string PlaceId, string Model, DateOnly Day, TokenUsage Usage);

/// <summary>A user's usage for one day and for its month.</summary>
public readonly record struct UsageTotals(long DayTokens, long DayTurns, long MonthTokens, long MonthTurns);
