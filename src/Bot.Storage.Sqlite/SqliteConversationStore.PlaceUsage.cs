using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>The place ledger's reads: a place's totals, usage per model (for costs), and a place's top users.</summary>
public sealed partial class SqliteConversationStore
{
    // A place's month is a range of place_usage's primary key: place_id fixed, day between the month's first and last.
    internal const string SelectPlaceUsage =
        "SELECT coalesce(sum(CASE WHEN day = $day THEN input_tokens + output_tokens END), 0), " +
        "coalesce(sum(CASE WHEN day = $day THEN turns END), 0), " +
        "coalesce(sum(input_tokens + output_tokens), 0), coalesce(sum(turns), 0) " +
        "FROM place_usage WHERE place_id = $place_id AND day >= $month_start AND day < $month_end;";

    private const string ModelColumns =
        "model, coalesce(sum(CASE WHEN day = $day THEN input_tokens END), 0), coalesce(sum(CASE WHEN day = $day THEN output_tokens END), 0), " +
        "coalesce(sum(CASE WHEN day = $day THEN cached_input_tokens END), 0), coalesce(sum(CASE WHEN day = $day THEN turns END), 0), " +
        "sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(turns) ";

    internal const string SelectUserModelUsage =
        "SELECT " + ModelColumns + "FROM usage_ledger " +
        "WHERE channel = $channel AND user_id = $user_id AND day >= $month_start AND day < $month_end GROUP BY model ORDER BY model;";

    internal const string SelectPlaceModelUsage =
        "SELECT " + ModelColumns + "FROM place_usage " +
        "WHERE place_id = $place_id AND day >= $month_start AND day < $month_end GROUP BY model ORDER BY model;";

    // The place's month rows are one range of place_user_usage's key; the top users' model rows are point reads of it.
    internal const string SelectTopPlaceUsers =
        "WITH top AS (SELECT channel, user_id, sum(input_tokens + output_tokens) AS tokens FROM place_user_usage " +
        "WHERE place_id = $place_id AND month = $month GROUP BY channel, user_id ORDER BY tokens DESC, channel, user_id LIMIT $count) " +
        "SELECT top.channel, top.user_id, u.display_name, p.model, p.input_tokens, p.output_tokens, p.cached_input_tokens, p.turns " +
        "FROM top JOIN place_user_usage p ON p.place_id = $place_id AND p.month = $month AND p.channel = top.channel AND p.user_id = top.user_id " +
        "LEFT JOIN usage_users u ON u.channel = top.channel AND u.user_id = top.user_id " +
        "ORDER BY top.tokens DESC, top.channel, top.user_id, p.model;";

    /// <inheritdoc />
    public Task<UsageTotals> GetPlaceUsageAsync(string placeId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        return ReadTotalsAsync(SelectPlaceUsage, day, cancellationToken, ("$place_id", placeId));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelUsage>> GetModelUsageAsync(UsageOwner owner, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var monthStart = new DateOnly(day.Year, day.Month, 1);
        (string Name, object? Value)[] range = [("$day", DayText(day)), ("$month_start", DayText(monthStart)), ("$month_end", DayText(monthStart.AddMonths(1)))];
        string sql;
        (string Name, object? Value)[] values;
        if (owner.PlaceId is { } placeId)
        {
            ArgumentException.ThrowIfNullOrEmpty(placeId);
            (sql, values) = (SelectPlaceModelUsage, [("$place_id", placeId), .. range]);
        }
        else
        {
            ArgumentException.ThrowIfNullOrEmpty(owner.Channel);
            ArgumentException.ThrowIfNullOrEmpty(owner.UserId);
            (sql, values) = (SelectUserModelUsage, [("$channel", owner.Channel), ("$user_id", owner.UserId), .. range]);
        }

        return ReadAsync<IReadOnlyList<ModelUsage>>(connection =>
        {
            using var command = ReaderCommand(connection, sql, values);
            using var reader = command.ExecuteReader();
            var models = new List<ModelUsage>();
            while (reader.Read())
            {
                models.Add(new ModelUsage(reader.GetString(0),
                    new TokenUsage(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)), reader.GetInt64(4),
                    new TokenUsage(reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)), reader.GetInt64(8)));
            }

            return models;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PlaceUserUsage>> GetTopPlaceUsersAsync(string placeId, DateOnly day, int count, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        if (count <= 0)
            return Task.FromResult<IReadOnlyList<PlaceUserUsage>>([]);
        return ReadAsync<IReadOnlyList<PlaceUserUsage>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectTopPlaceUsers,
                ("$place_id", placeId), ("$month", MonthText(day)), ("$count", count));
            using var reader = command.ExecuteReader();
            var users = new List<PlaceUserUsage>();
            List<PlaceUserModelUsage>? models = null;
            while (reader.Read())
            {
                var (channel, userId) = (reader.GetString(0), reader.GetString(1));
                if (users.Count == 0 || users[^1].Channel != channel || users[^1].UserId != userId)
                {
                    models = [];
                    users.Add(new PlaceUserUsage(channel, userId, reader.IsDBNull(2) ? null : reader.GetString(2), models));
                }

                models!.Add(new PlaceUserModelUsage(reader.GetString(3),
                    new TokenUsage(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)), reader.GetInt64(7)));
            }

            return users;
        }, cancellationToken);
    }
}
