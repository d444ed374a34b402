using System.Globalization;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>
/// The usage ledger (<see cref="IUsageLedger"/>): table <c>usage_ledger</c>, one row per user, day, model and place;
/// <c>place_usage</c> per place, day and model; <c>place_user_usage</c> per place, month, user and model; and
/// <c>usage_users</c>, the users' last display names.
/// </summary>
public sealed partial class SqliteConversationStore : IUsageLedger
{
    // One statement per row: the add happens inside SQLite under its write lock, so concurrent records (this process's
    // queue at the writer, or another process) never lose one.
    internal const string AddUsage =
        "INSERT INTO usage_ledger (channel, user_id, day, model, place_id, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
        "VALUES ($channel, $user_id, $day, $model, $place_id, 1, $input, $output, $cached, $now) " +
        "ON CONFLICT (channel, user_id, day, model, place_id) DO UPDATE SET turns = turns + 1, " +
        "input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, " +
        "cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, updated_at_ms = excluded.updated_at_ms;";

    internal const string AddPlaceUsage =
        "INSERT INTO place_usage (place_id, day, model, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
        "VALUES ($place_id, $day, $model, 1, $input, $output, $cached, $now) " +
        "ON CONFLICT (place_id, day, model) DO UPDATE SET turns = turns + 1, " +
        "input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, " +
        "cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, updated_at_ms = excluded.updated_at_ms;";

    internal const string AddPlaceUserUsage =
        "INSERT INTO place_user_usage (place_id, month, channel, user_id, model, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
        "VALUES ($place_id, $month, $channel, $user_id, $model, 1, $input, $output, $cached, $now) " +
        "ON CONFLICT (place_id, month, channel, user_id, model) DO UPDATE SET turns = turns + 1, " +
        "input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, " +
        "cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens, updated_at_ms = excluded.updated_at_ms;";

    internal const string UpsertUsageUser =
        "INSERT INTO usage_users (channel, user_id, display_name, updated_at_ms) VALUES ($channel, $user_id, $display_name, $now) " +
        "ON CONFLICT (channel, user_id) DO UPDATE SET display_name = excluded.display_name, updated_at_ms = excluded.updated_at_ms;";

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
        var places = entry.CountedPlaceIds;
        var displayName = entry.DisplayName is { Length: > 0 } name ? name : null;
        return WriteAsync(transaction =>
        {
            var usage = entry.Usage;
            WriterCommand(AddUsage, transaction,
                ("$channel", entry.Channel),
                ("$user_id", entry.UserId),
                ("$day", DayText(entry.Day)),
                ("$model", entry.Model),
                ("$place_id", entry.PlaceId),
                ("$input", usage.InputTokens),
                ("$output", usage.OutputTokens),
                ("$cached", usage.CachedInputTokens),
                ("$now", now)).ExecuteNonQuery();
            foreach (var place in places)
            {
                WriterCommand(AddPlaceUsage, transaction,
                    ("$place_id", place),
                    ("$day", DayText(entry.Day)),
                    ("$model", entry.Model),
                    ("$input", usage.InputTokens),
                    ("$output", usage.OutputTokens),
                    ("$cached", usage.CachedInputTokens),
                    ("$now", now)).ExecuteNonQuery();
                WriterCommand(AddPlaceUserUsage, transaction,
                    ("$place_id", place),
                    ("$month", MonthText(entry.Day)),
                    ("$channel", entry.Channel),
                    ("$user_id", entry.UserId),
                    ("$model", entry.Model),
                    ("$input", usage.InputTokens),
                    ("$output", usage.OutputTokens),
                    ("$cached", usage.CachedInputTokens),
                    ("$now", now)).ExecuteNonQuery();
            }

            if (displayName is not null)
            {
                WriterCommand(UpsertUsageUser, transaction,
                    ("$channel", entry.Channel),
                    ("$user_id", entry.UserId),
                    ("$display_name", displayName),
                    ("$now", now)).ExecuteNonQuery();
            }

            return 0;
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ReadTotalsAsync(SelectUserUsage, day, cancellationToken, ("$channel", channel), ("$user_id", userId));
    }

    // A user's or a place's totals: the day and the month that contains it, read in one statement over a key range.
    private Task<UsageTotals> ReadTotalsAsync(string sql, DateOnly day, CancellationToken cancellationToken,
        params (string Name, object? Value)[] owner)
    {
        var monthStart = new DateOnly(day.Year, day.Month, 1);
        return ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, sql, [.. owner,
                ("$day", DayText(day)), ("$month_start", DayText(monthStart)), ("$month_end", DayText(monthStart.AddMonths(1)))]);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new UsageTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }, cancellationToken);
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string MonthText(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
