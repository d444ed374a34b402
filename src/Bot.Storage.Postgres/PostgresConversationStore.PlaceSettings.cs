using Bot.Core.Storage;

namespace Bot.Storage.Postgres;

/// <summary>Settings changed by admin commands (<see cref="IPlaceSettingsStore"/>): tables <c>place_settings</c> and <c>place_setting_history</c>.</summary>
public sealed partial class PostgresConversationStore : IPlaceSettingsStore
{
    private const string SelectPlaceSettingsSql =
        "SELECT place_id, name, value, changed_by, changed_at_ms FROM place_settings WHERE place_id = ANY(@place_ids);";

    private const string UpsertPlaceSettingSql =
        "INSERT INTO place_settings (place_id, name, value, changed_by, changed_at_ms) VALUES (@place_id, @name, @value, @changed_by, @at) " +
        "ON CONFLICT (place_id, name) DO UPDATE SET value = excluded.value, changed_by = excluded.changed_by, changed_at_ms = excluded.changed_at_ms;";

    private const string DeletePlaceSettingSql = "DELETE FROM place_settings WHERE place_id = @place_id AND name = @name;";

    private const string InsertPlaceSettingHistorySql =
        "INSERT INTO place_setting_history (place_id, name, value, changed_by, changed_at_ms) VALUES (@place_id, @name, @value, @changed_by, @at);";

    private const string SelectPlaceSettingHistorySql =
        "SELECT place_id, name, value, changed_by, changed_at_ms FROM place_setting_history WHERE place_id = @place_id " +
        "ORDER BY id DESC LIMIT @limit;";

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredPlaceSetting>> GetPlaceSettingsAsync(IReadOnlyCollection<string> placeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(placeIds);
        if (placeIds.Count == 0)
            return Task.FromResult<IReadOnlyList<StoredPlaceSetting>>([]);
        return ReadAllAsync(SelectPlaceSettingsSql, reader => new StoredPlaceSetting(reader.GetString(0), reader.GetString(1),
            reader.GetString(2), reader.GetString(3), reader.GetTime(4)), cancellationToken, ("place_ids", placeIds.ToArray()));
    }

    /// <inheritdoc />
    public Task ChangePlaceSettingAsync(PlaceSettingChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrEmpty(change.PlaceId);
        ArgumentException.ThrowIfNullOrEmpty(change.Name);
        (string, object?)[] values =
        [
            ("place_id", change.PlaceId), ("name", change.Name), ("value", change.Value), ("changed_by", change.ChangedBy), ("at", change.ChangedAt),
        ];
        return InTransactionAsync(async (connection, transaction) =>
        {
            if (change.Value is null)
            {
                await using var delete = Command(connection, transaction, DeletePlaceSettingSql, ("place_id", change.PlaceId), ("name", change.Name));
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var upsert = Command(connection, transaction, UpsertPlaceSettingSql, values);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var history = Command(connection, transaction, InsertPlaceSettingHistorySql, values);
            return await history.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PlaceSettingChange>> GetPlaceSettingHistoryAsync(string placeId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAllAsync(SelectPlaceSettingHistorySql, reader => new PlaceSettingChange(reader.GetString(0), reader.GetString(1),
            reader.GetStringOrNull(2), reader.GetString(3), reader.GetTime(4)), cancellationToken, ("place_id", placeId), ("limit", limit));
    }
}
