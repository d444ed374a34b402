namespace Bot.Core.Storage;

/// <summary>
/// Settings changed by admin commands, per place, with their history (table <c>place_settings</c> and
/// <c>place_setting_history</c>). Setting and clearing append to the history in the same transaction.
/// </summary>
public interface IPlaceSettingsStore
{
    /// <summary>The settings stored for any of <paramref name="placeIds"/> (one indexed read for a whole place path).</summary>
    Task<IReadOnlyList<StoredPlaceSetting>> GetPlaceSettingsAsync(IReadOnlyCollection<string> placeIds, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="change"/> (a null value clears the setting) and appends it to the history.</summary>
    Task ChangePlaceSettingAsync(PlaceSettingChange change, CancellationToken cancellationToken = default);

    /// <summary>The latest changes of one place, newest first.</summary>
    Task<IReadOnlyList<PlaceSettingChange>> GetPlaceSettingHistoryAsync(string placeId, int limit, CancellationToken cancellationToken = default);
}

/// <summary>A setting in force at a place, as an admin command left it.</summary>
public sealed record StoredPlaceSetting(string PlaceId, string Name, string Value, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>One change of a place's setting: a new value, or null when it was cleared.</summary>
/// <param name="ChangedBy">Who changed it, as <c>{channel}:{user id}</c>.</param>
public sealed record PlaceSettingChange(string PlaceId, string Name, string? Value, string ChangedBy, DateTimeOffset ChangedAt);
