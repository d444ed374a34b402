namespace Bot.Core.Storage;

/// <summary>
/// The usage ledger: tokens and turns per channel user, place, model and UTC day, added to by every finished turn and
/// read by the budget checks before a turn and by <c>/usage</c>. Safe to call concurrently; concurrent records for one
/// row all count (no lost update). Every read a turn makes is a range of an index: its cost does not grow with history.
/// </summary>
public interface IUsageLedger
{
    /// <summary>
    /// Adds one turn's usage, in one atomic step, to the user's row and to the row of every place in
    /// <see cref="UsageEntry.CountedPlaceIds"/> (place totals per day and model, and the place's per-user month rows
    /// that <see cref="GetTopPlaceUsersAsync"/> reads); rows are created on first use. Remembers
    /// <see cref="UsageEntry.DisplayName"/> for the user when given.
    /// </summary>
    Task RecordUsageAsync(UsageEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// A channel user's totals on <paramref name="day"/> and in the calendar month that contains it (UTC days), over
    /// every place and model.
    /// </summary>
    Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>
    /// A place's totals (every user, every place below it whose turns counted it) on <paramref name="day"/> and in the
    /// calendar month that contains it.
    /// </summary>
    Task<UsageTotals> GetPlaceUsageAsync(string placeId, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per model, a channel user's (<paramref name="placeId"/> null) or a place's usage on <paramref name="day"/> and
    /// in its month: what estimated costs are computed from. Ordered by model name.
    /// </summary>
    Task<IReadOnlyList<ModelUsage>> GetModelUsageAsync(UsageOwner owner, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="count"/> users who used the most tokens at a place in the month of <paramref name="day"/>,
    /// most first (ties by channel and user id), each with their month's usage per model and their last known
    /// display name.
    /// </summary>
    Task<IReadOnlyList<PlaceUserUsage>> GetTopPlaceUsersAsync(string placeId, DateOnly day, int count, CancellationToken cancellationToken = default);
}

/// <summary>One turn's usage as the ledger records it.</summary>
/// <param name="Channel">The chat channel ("discord", "teams", "web", "terminal").</param>
/// <param name="UserId">The channel's id of the user charged for the turn.</param>
/// <param name="PlaceId">Where the turn happened: the nearest place of the conversation's place path.</param>
/// <param name="Model">The model the turn used (the place's model where one is set).</param>
/// <param name="Day">The UTC day the turn finished.</param>
/// <param name="Usage">The tokens the backend reported.</param>
public sealed record UsageEntry(string Channel, string UserId, string PlaceId, string Model, DateOnly Day, TokenUsage Usage)
{
    /// <summary>
    /// Every place whose totals this turn counts towards: each level of the conversation's place path (tenant, server,
    /// team, channel, thread, …). Empty: <see cref="PlaceId"/> alone.
    /// </summary>
    public IReadOnlyList<string> PlaceIds { get; init; } = [];

    /// <summary>The user's display name when the turn ran (for the top-user list of <c>/usage</c>), if known.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The places counted, each once: <see cref="PlaceIds"/>, or <see cref="PlaceId"/> when that is empty.</summary>
    public IReadOnlyList<string> CountedPlaceIds => PlaceIds.Count == 0 ? [PlaceId] : PlaceIds.Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>Whose usage a read is about: a channel user (<see cref="PlaceId"/> null) or a place.</summary>
public sealed record UsageOwner(string? Channel, string? UserId, string? PlaceId)
{
    public static UsageOwner User(string channel, string userId) => new(channel, userId, null);

    public static UsageOwner Place(string placeId) => new(null, null, placeId);
}

/// <summary>A user's or a place's usage for one day and for its month.</summary>
public readonly record struct UsageTotals(long DayTokens, long DayTurns, long MonthTokens, long MonthTurns);

/// <summary>Usage of one model on a day and in its month, with the input, output and cached input tokens apart.</summary>
public sealed record ModelUsage(string Model, TokenUsage Day, long DayTurns, TokenUsage Month, long MonthTurns);

/// <summary>One user's month at a place, for one model.</summary>
public sealed record PlaceUserModelUsage(string Model, TokenUsage Usage, long Turns);

/// <summary>One user's month at a place: their usage per model and their last known display name.</summary>
public sealed record PlaceUserUsage(string Channel, string UserId, string? DisplayName, IReadOnlyList<PlaceUserModelUsage> Models)
{
    public long Tokens => Models.Sum(m => m.Usage.TotalTokens);

    public long Turns => Models.Sum(m => m.Turns);
}
