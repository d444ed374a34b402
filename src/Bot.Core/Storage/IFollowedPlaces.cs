namespace Bot.Core.Storage;

/// <summary>
/// Places where the bot answers every message, not only those addressed to it: a Discord thread it was mentioned in
/// or created, for example. A place is a channel name and the platform's id of the place. Safe to call concurrently.
/// </summary>
public interface IFollowedPlaces
{
    /// <summary>True when the bot follows the place.</summary>
    Task<bool> IsPlaceFollowedAsync(string channel, string placeId, CancellationToken cancellationToken = default);

    /// <summary>Follows a place from now on, across restarts. Following it again changes nothing (it keeps its first time).</summary>
    Task FollowPlaceAsync(string channel, string placeId, CancellationToken cancellationToken = default);
}
