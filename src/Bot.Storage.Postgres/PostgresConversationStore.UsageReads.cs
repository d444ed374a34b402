using Bot.Core.Backends;
using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>Reads of the usage ledger: each one a range of a primary key (owner fixed, day within the month).</summary>
public sealed partial class PostgresConversationStore
{
    private const string Totals =
        "coalesce(sum(input_tokens + output_tokens) FILTER (WHERE day = @day), 0)::bigint, " +
        "coalesce(sum(turns) FILTER (WHERE day = @day), 0)::bigint, " +
        "coalesce(sum(input_tokens + output_tokens), 0)::bigint, coalesce(sum(turns), 0)::bigint";

    private const string PerModel =
        "model, " +
        "coalesce(sum(input_tokens) FILTER (WHERE day = @day), 0)::bigint, coalesce(sum(output_tokens) FILTER (WHERE day = @day), 0)::bigint, " +
        "coalesce(sum(cached_input_tokens) FILTER (WHERE day = @day), 0)::bigint, coalesce(sum(turns) FILTER (WHERE day = @day), 0)::bigint, " +
        "sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(cached_input_tokens)::bigint, sum(turns)::bigint";

    private const string UserMonth = "WHERE channel = @channel AND user_id = @user_id AND day >= @month_start AND day < @month_end";

    private const string PlaceMonth = "WHERE place_id = @place_id AND day >= @month_start AND day < @month_end";

    private const string SelectUserUsageSql = $"SELECT {Totals} FROM usage_ledger {UserMonth};";

    private const string SelectPlaceUsageSql = $"SELECT {Totals} FROM place_usage {PlaceMonth};";

    // Model names sort by their bytes (COLLATE "C"), as ordinal comparison does, whatever the database's locale.
    private const string SelectUserModelUsageSql =
        $"SELECT {PerModel} FROM usage_ledger {UserMonth} GROUP BY model ORDER BY model COLLATE \"C\";";

    private const string SelectPlaceModelUsageSql =
        $"SELECT {PerModel} FROM place_usage {PlaceMonth} GROUP BY model ORDER BY model COLLATE \"C\";";

    private const string SelectTopPlaceUsersSql =
        "WITH top AS (SELECT channel, user_id, sum(input_tokens + output_tokens) AS tokens FROM place_user_usage " +
        "WHERE place_id = @place_id AND month = @month GROUP BY channel, user_id " +
        "ORDER BY tokens DESC, channel COLLATE \"C\", user_id COLLATE \"C\" LIMIT @count) " +
        "SELECT t.channel, t.user_id, n.display_name, p.model, p.input_tokens, p.output_tokens, p.cached_input_tokens, p.turns " +
        "FROM top t JOIN place_user_usage p ON p.place_id = @place_id AND p.month = @month AND p.channel = t.channel AND p.user_id = t.user_id " +
        "LEFT JOIN usage_users n ON n.channel = t.channel AND n.user_id = t.user_id " +
        "ORDER BY t.tokens DESC, t.channel COLLATE \"C\", t.user_id COLLATE \"C\", p.model COLLATE \"C\";";

    /// <inheritdoc />
    public Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ReadTotalsAsync(SelectUserUsageSql, day, cancellationToken, ("channel", channel), ("user_id", userId));
    }

    /// <inheritdoc />
    public Task<UsageTotals> GetPlaceUsageAsync(string placeId, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        return ReadTotalsAsync(SelectPlaceUsageSql, day, cancellationToken, ("place_id", placeId));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelUsage>> GetModelUsageAsync(UsageOwner owner, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        (string Name, object? Value)[] values;
        string sql;
        if (owner.PlaceId is { } placeId)
        {
            ArgumentException.ThrowIfNullOrEmpty(placeId, nameof(owner));
            (sql, values) = (SelectPlaceModelUsageSql, [("place_id", placeId), .. MonthValues(day)]);
        }
        else
        {
            ArgumentException.ThrowIfNullOrEmpty(owner.Channel, nameof(owner));
            ArgumentException.ThrowIfNullOrEmpty(owner.UserId, nameof(owner));
            (sql, values) = (SelectUserModelUsageSql, [("channel", owner.Channel), ("user_id", owner.UserId), .. MonthValues(day)]);
        }

        return ReadAllAsync(sql, reader => new ModelUsage(reader.GetString(0),
            new TokenUsage(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)), reader.GetInt64(4),
            new TokenUsage(reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)), reader.GetInt64(8)), cancellationToken, values);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PlaceUserUsage>> GetTopPlaceUsersAsync(string placeId, DateOnly day, int count, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
            return Task.FromResult<IReadOnlyList<PlaceUserUsage>>([]);
        return ReadAsync<IReadOnlyList<PlaceUserUsage>>(async connection =>
        {
            await using var command = Command(connection, SelectTopPlaceUsersSql,
                ("place_id", placeId), ("month", MonthStart(day)), ("count", count));
            var rows = await ReadRowsAsync(command, reader => (Channel: reader.GetString(0), UserId: reader.GetString(1),
                Name: reader.GetStringOrNull(2), Model: new PlaceUserModelUsage(reader.GetString(3),
                    new TokenUsage(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)), reader.GetInt64(7))),
                cancellationToken).ConfigureAwait(false);
            // Rows come grouped by user, most tokens first: fold each run of one user into one entry.
            var users = new List<PlaceUserUsage>();
            foreach (var row in rows)
            {
                if (users.Count > 0 && users[^1].Channel == row.Channel && users[^1].UserId == row.UserId)
                    ((List<PlaceUserModelUsage>)users[^1].Models).Add(row.Model);
                else
                    users.Add(new PlaceUserUsage(row.Channel, row.UserId, row.Name, new List<PlaceUserModelUsage> { row.Model }));
            }

            return users;
        }, cancellationToken);
    }

    private Task<UsageTotals> ReadTotalsAsync(string sql, DateOnly day, CancellationToken cancellationToken, params (string Name, object? Value)[] owner) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, sql, [.. owner, .. MonthValues(day)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new UsageTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }, cancellationToken);

    private static (string Name, object? Value)[] MonthValues(DateOnly day)
    {
        var start = MonthStart(day);
        return [("day", day), ("month_start", start), ("month_end", start.AddMonths(1))];
    }
}
