using Bot.Core.Backends;
using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// The usage ledger (<see cref="IUsageLedger"/>): <c>usage_ledger</c> per user, <c>place_usage</c> and
/// <c>place_user_usage</c> per place, <c>usage_users</c> for display names.
/// </summary>
public sealed partial class PostgresConversationStore : IUsageLedger
{
    // Each add happens inside the database under the row's lock, so concurrent records on any instance all count.
    private const string AddUserUsageSql =
        "INSERT INTO usage_ledger AS u (channel, user_id, day, model, place_id, turns, input_tokens, output_tokens, cached_input_tokens, updated_at_ms) " +
        "VALUES (@channel, @user_id, @day, @model, @place_id, 1, @input, @output, @cached, @now) " +
        "ON CONFLICT (channel, user_id, day, model, place_id) DO UPDATE SET turns = u.turns + 1, " +
        "input_tokens = u.input_tokens + excluded.input_tokens, output_tokens = u.output_tokens + excluded.output_tokens, " +
        "cached_input_tokens = u.cached_input_tokens + excluded.cached_input_tokens, updated_at_ms = excluded.updated_at_ms;";

    // One statement for every place of the path. The places come sorted, so two turns lock shared rows in one order
    // and never deadlock.
    private const string AddPlaceUsageSql =
        "INSERT INTO place_usage AS p (place_id, day, model, turns, input_tokens, output_tokens, cached_input_tokens) " +
        "SELECT place_id, @day, @model, 1, @input, @output, @cached FROM unnest(@place_ids::text[]) AS place_id " +
        "ON CONFLICT (place_id, day, model) DO UPDATE SET turns = p.turns + 1, " +
        "input_tokens = p.input_tokens + excluded.input_tokens, output_tokens = p.output_tokens + excluded.output_tokens, " +
        "cached_input_tokens = p.cached_input_tokens + excluded.cached_input_tokens;";

    private const string AddPlaceUserUsageSql =
        "INSERT INTO place_user_usage AS p (place_id, month, channel, user_id, model, turns, input_tokens, output_tokens, cached_input_tokens) " +
        "SELECT place_id, @month, @channel, @user_id, @model, 1, @input, @output, @cached FROM unnest(@place_ids::text[]) AS place_id " +
        "ON CONFLICT (place_id, month, channel, user_id, model) DO UPDATE SET turns = p.turns + 1, " +
        "input_tokens = p.input_tokens + excluded.input_tokens, output_tokens = p.output_tokens + excluded.output_tokens, " +
        "cached_input_tokens = p.cached_input_tokens + excluded.cached_input_tokens;";

    private const string RememberUserNameSql =
        "INSERT INTO usage_users (channel, user_id, display_name) VALUES (@channel, @user_id, @display_name) " +
        "ON CONFLICT (channel, user_id) DO UPDATE SET display_name = excluded.display_name " +
        "WHERE usage_users.display_name IS DISTINCT FROM excluded.display_name;";

    /// <inheritdoc />
    public Task RecordUsageAsync(UsageEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Channel);
        ArgumentException.ThrowIfNullOrEmpty(entry.UserId);
        ArgumentException.ThrowIfNullOrEmpty(entry.PlaceId);
        ArgumentNullException.ThrowIfNull(entry.Model);
        var places = entry.CountedPlaceIds.Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var usage = entry.Usage;
        var now = Now;
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(AddUserUsageSql).Bind(
                ("channel", entry.Channel), ("user_id", entry.UserId), ("day", entry.Day), ("model", entry.Model), ("place_id", entry.PlaceId),
                ("input", usage.InputTokens), ("output", usage.OutputTokens), ("cached", usage.CachedInputTokens), ("now", now)));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(AddPlaceUsageSql).Bind(
                ("place_ids", places), ("day", entry.Day), ("model", entry.Model),
                ("input", usage.InputTokens), ("output", usage.OutputTokens), ("cached", usage.CachedInputTokens)));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(AddPlaceUserUsageSql).Bind(
                ("place_ids", places), ("month", MonthStart(entry.Day)), ("channel", entry.Channel), ("user_id", entry.UserId), ("model", entry.Model),
                ("input", usage.InputTokens), ("output", usage.OutputTokens), ("cached", usage.CachedInputTokens)));
            if (!string.IsNullOrEmpty(entry.DisplayName))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(RememberUserNameSql).Bind(
                    ("channel", entry.Channel), ("user_id", entry.UserId), ("display_name", entry.DisplayName)));
            }

            return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static DateOnly MonthStart(DateOnly day) => new(day.Year, day.Month, 1);
}
