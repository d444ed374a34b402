using Bot.Core.Places;

namespace Bot.Teams.Adapter;

/// <summary>
/// Where a Teams conversation lives (<see cref="PlacePath"/>): the tenant, then in a channel its team
/// (<c>channelData.team.id</c>) and the channel (the conversation id without <c>;messageid=</c>, so that every thread
/// of a channel is one place), in a group chat or personal chat the chat itself. Place ids are <c>teams:{id}</c>.
/// </summary>
internal static class TeamsPlaces
{
    public const string Prefix = "teams:";

    public static PlacePath Of(ReplyAddress address, Activity activity)
    {
        var levels = new List<Place>(3);
        if (!string.IsNullOrEmpty(address.Tenant))
            levels.Add(new Place(Prefix + address.Tenant, PlaceKind.Tenant));
        var conversation = ChannelId(address.ConversationId);
        switch (address.Scope)
        {
            case Scopes.Channel:
                if (activity.ChannelData?.Team?.Id is { Length: > 0 and <= 200 } team)
                    levels.Add(new Place(Prefix + team, PlaceKind.Team));
                levels.Add(new Place(Prefix + conversation, PlaceKind.Channel));
                break;
            case Scopes.GroupChat:
                levels.Add(new Place(Prefix + conversation, PlaceKind.GroupChat));
                break;
            default:
                levels.Add(new Place(Prefix + conversation, PlaceKind.DirectChat));
                break;
        }

        return new PlacePath(levels);
    }

    /// <summary>A channel's conversation id without the <c>;messageid=</c> of its thread.</summary>
    public static string ChannelId(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return cut < 0 ? conversationId : conversationId[..cut];
    }

    /// <summary>True when the sender's Entra object id (<c>aadObjectId</c>, not the <c>29:…</c> id) is one of <paramref name="objectIds"/>.</summary>
    public static bool IsListed(IEnumerable<string> objectIds, ChannelAccount? from) =>
        Guid.TryParse(from?.AadObjectId, out var objectId) && objectIds.Any(a => Guid.TryParse(a, out var listed) && listed == objectId);

    /// <summary>True when the activity's entities mention the bot (in a channel or group chat, an @mention of it).</summary>
    public static bool MentionsBot(Activity activity) =>
        activity.Entities?.Any(e => IncomingTranslator.IsMentionOf(e, activity.Recipient?.Id)) == true;
}
