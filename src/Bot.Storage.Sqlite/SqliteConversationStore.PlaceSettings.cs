using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>Settings changed by admin commands (<see cref="IPlaceSettingsStore"/>): tables <c>place_settings</c> and <c>place_setting_history</c>.</summary>
public sealed partial class SqliteConversationStore : IPlaceSettingsStore
{
    internal const string SelectPlaceSettings =
        "SELECT place_id, name, value, changed_by, changed_at_ms FROM place_settings " +
        "WHERE place_id IN (SELECT value FROM json_each($place_ids));";

    internal const string UpsertPlaceSetting =
        "INSERT INTO place_settings (place_id, name, value, changed_by, changed_at_ms) VALUES ($place_id, $name, $value, $changed_by, $at) " +
        "ON CONFLICT (place_id, name) DO UPDATE SET value = excluded.value, changed_by = excluded.changed_by, changed_at_ms = excluded.changed_at_ms;";

    internal const string DeletePlaceSetting = "DELETE FROM place_settings WHERE place_id = $place_id AND name = $name;";

    internal const string InsertPlaceSettingHistory =
        "INSERT INTO place_setting_history (place_id, name, value, changed_by, changed_at_ms) VALUES ($place_id, $name, $value, $changed_by, $at);";

    internal const string SelectPlaceSettingHistory =
        "SELECT place_id, name, value, changed_by, changed_at_ms FROM place_setting_history WHERE place_id = $place_id " +
        "ORDER BY id DESC LIMIT $limit;";

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredPlaceSetting>> GetPlaceSettingsAsync(IReadOnlyCollection<string> placeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(placeIds);
        if (placeIds.Count == 0)
            return Task.FromResult<IReadOnlyList<StoredPlaceSetting>>([]);
        return ReadAsync<IReadOnlyList<StoredPlaceSetting>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectPlaceSettings, ("$place_ids", StoredJson.Strings([.. placeIds])));
            using var reader = command.ExecuteReader();
            var settings = new List<StoredPlaceSetting>();
            while (reader.Read())
                settings.Add(new StoredPlaceSetting(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetTime(4)));
            return settings;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ChangePlaceSettingAsync(PlaceSettingChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrEmpty(change.PlaceId);
        ArgumentException.ThrowIfNullOrEmpty(change.Name);
        return WriteAsync(transaction =>
        {
            if (change.Value is null)
                WriterCommand(DeletePlaceSetting, transaction, ("$place_id", change.PlaceId), ("$name", change.Name)).ExecuteNonQuery();
            else
                Changed(UpsertPlaceSetting, transaction, change).ExecuteNonQuery();
            return Changed(InsertPlaceSettingHistory, transaction, change).ExecuteNonQuery();
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PlaceSettingChange>> GetPlaceSettingHistoryAsync(string placeId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<PlaceSettingChange>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectPlaceSettingHistory, ("$place_id", placeId), ("$limit", limit));
            using var reader = command.ExecuteReader();
            var changes = new List<PlaceSettingChange>();
            while (reader.Read())
            {
                changes.Add(new PlaceSettingChange(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetTime(4)));
            }

            return changes;
        }, cancellationToken);
    }

    private Microsoft.Data.Sqlite.SqliteCommand Changed(string sql, Microsoft.Data.Sqlite.SqliteTransaction? transaction, PlaceSettingChange change) =>
        WriterCommand(sql, transaction,
            ("$place_id", change.PlaceId),
            ("$name", change.Name),
            ("$value", change.Value),
            ("$changed_by", change.ChangedBy),
            ("$at", change.ChangedAt));
}
