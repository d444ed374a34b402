using System.Collections.Concurrent;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using CorePlace = Bot.Core.Places.Place;
using PlaceKind = Bot.Core.Places.PlaceKind;
using PlacePath = Bot.Core.Places.PlacePath;

namespace Bot.Discord.Adapter;

/// <summary>
/// Where a Discord conversation lives (<see cref="PlacePath"/>): the server <c>discord:{guild id}</c>, its channel
/// <c>discord:{channel id}</c> and, in a thread, the thread <c>discord:{thread id}</c> below the channel it belongs
/// to; a DM is one level, <c>discord:{dm channel id}</c>. A thread's parent comes from the interaction's partial
/// channel, from what the gateway told (<see cref="GuildDirectory"/>), or else from one channel fetch; a thread whose
/// parent stays unknown sits right below the server.
/// </summary>
internal sealed class DiscordPlaces(GuildDirectory guilds, DiscordRestClient rest, ILogger<DiscordPlaces> logger)
{
    public const string Prefix = "discord:";

    private const int MaxUnknown = 10_000;
    private readonly ConcurrentDictionary<string, byte> _unknown = new(StringComparer.Ordinal);

    /// <summary>The path of a message or interaction in <paramref name="place"/>.</summary>
    public async Task<PlacePath> PathAsync(Place place, CancellationToken cancellationToken = default)
    {
        var thread = !place.IsDirect && ConversationIds.IsThread(place.ChannelType);
        var parent = thread ? place.ParentId ?? await ParentAsync(place.ChannelId, cancellationToken).ConfigureAwait(false) : null;
        return Of(place, parent);
    }

    /// <summary>The path of <paramref name="place"/>, a thread's parent channel given (null: unknown).</summary>
    public static PlacePath Of(Place place, string? parentId)
    {
        if (place.IsDirect)
            return PlacePath.Of(new CorePlace(Prefix + place.ChannelId, place.ChannelType == 3 ? PlaceKind.GroupChat : PlaceKind.DirectChat));
        var server = new CorePlace(Prefix + place.GuildId, PlaceKind.Server);
        if (!ConversationIds.IsThread(place.ChannelType))
            return PlacePath.Of(server, new CorePlace(Prefix + place.ChannelId, PlaceKind.Channel));
        var thread = new CorePlace(Prefix + place.ChannelId, PlaceKind.Thread);
        return parentId is null ? PlacePath.Of(server, thread) : PlacePath.Of(server, new CorePlace(Prefix + parentId, PlaceKind.Channel), thread);
    }

    private async Task<string?> ParentAsync(string threadId, CancellationToken cancellationToken)
    {
        if (guilds.ParentOf(threadId) is { } known)
            return known;
        // A thread whose fetch failed is not fetched again for every message in it.
        if (_unknown.ContainsKey(threadId))
            return null;
        try
        {
            if (await rest.GetChannelAsync(threadId, cancellationToken).ConfigureAwait(false) is JsonObject channel)
            {
                guilds.AddThread(JsonSerializer.SerializeToElement(channel));
                return guilds.ParentOf(threadId);
            }
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or TimeoutException)
        {
            Log.ThreadParentUnknown(logger, threadId, ex);
        }

        if (_unknown.Count >= MaxUnknown)
            _unknown.Clear();
        _unknown.TryAdd(threadId, 0);
        return null;
    }
}
