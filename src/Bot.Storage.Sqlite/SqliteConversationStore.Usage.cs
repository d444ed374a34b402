using System.Globalization;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>The usage ledger (<see cref="IUsageLedger"/>): table <c>usage_ledger</c>, one row per user, day, model and place.</summary>
public sealed partial class SqliteConversationStore : IUsageLedger
{
    // One statement: the add happens inside SQLite under its write lock, so concurrent records (this process's queue at
    // the writer, or another process) never lose one.
    internal const string AddUsage =
        "INSERT INTO usage_ledger (channel, user_id, day, model, place_id, turns, input_tokens, output_tokens, updated_at_ms) " +
        "VALUES ($channel, $user_id, $day, $model, $place_id, 1, $input, $output, $now) " +
        "ON CONFLICT (channel, user_id, day, model, place_id) DO UPDATE SET turns = turns + 1, " +
        "input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, " +
        "updated_at_ms = excluded.updated_at_ms;";

    // The month is a range of the primary key: (channel, user_id) fixed, day between the month's first and last.
    internal const string SelectUserUsage =
        "SELECT coalesce(sum(CASE WHEN day = $day THEN input_tokens + output_tokens END), 0), " +
        "coalesce(sum(CASE WHEN day = $day THEN turns END), 0), " +
        "coalesce(sum(input_tokens + output_tokens), 0), coalesce(sum(turns), 0) " +
        "FROM usage_ledger WHERE channel = $channel AND user_id = $user_id AND day >= $month_start AND day < $month_end;";

    /// <inheritdoc />
    public Task RecordUsageAsync(UsageEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Channel);
        ArgumentException.ThrowIfNullOrEmpty(entry.UserId);
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(AddUsage, null,
                ("$channel", entry.Channel),
                ("$user_id", entry.UserId),
                ("$day", DayText(entry.Day)),
                ("$model", entry.Model),
                ("$place_id", entry.PlaceId),
                ("$input", entry.Usage.InputTokens),
                ("$output", entry.Usage.OutputTokens),
                ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var monthStart = new DateOnly(day.Year, day.Month, 1);
        return ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, SelectUserUsage,
                ("$channel", channel),
                ("$user_id", userId),
                ("$day", DayText(day)),
                ("$month_start", DayText(monthStart)),
                ("$month_end", DayText(monthStart.AddMonths(1))));
            using var reader = command.ExecuteReader();
            reader.Read();
            return new UsageTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }, cancellationToken);
    }

    // The place ledger's tables and statements come with issue 13's per-place budgets; until then they are unsupported.

    /// <inheritdoc />
    public Task<UsageTotals> GetPlaceUsageAsync(string placeId, DateOnly day, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The place ledger is not built yet.");

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelUsage>> GetModelUsageAsync(UsageOwner owner, DateOnly day, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The place ledger is not built yet.");

    /// <inheritdoc />
    public Task<IReadOnlyList<PlaceUserUsage>> GetTopPlaceUsersAsync(string placeId, DateOnly day, int count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The place ledger is not built yet.");

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
