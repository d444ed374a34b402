namespace Bot.Core.Places;

/// <summary>What kind of place a level of a <see cref="PlacePath"/> is.</summary>
public enum PlaceKind
{
    /// <summary>A Microsoft Entra tenant (Teams).</summary>
    Tenant,
    /// <summary>A Discord server (guild).</summary>
    Server,
    /// <summary>A team in Teams.</summary>
    Team,
    /// <summary>A Discord channel or a Teams channel.</summary>
    Channel,
    /// <summary>A Discord thread.</summary>
    Thread,
    /// <summary>A one-to-one chat: a Discord DM, a Teams personal chat.</summary>
    DirectChat,
    /// <summary>A Teams group chat (or a Discord group DM).</summary>
    GroupChat,
    /// <summary>One visitor of the web chat.</summary>
    Visitor,
    /// <summary>The local terminal.</summary>
    Terminal,
}

/// <summary>
/// One place where conversations live. <see cref="Id"/> is global and stable, the channel's name first:
/// Discord <c>discord:{snowflake}</c> (guild, channel, thread and DM channel ids are all unique snowflakes),
/// Teams <c>teams:{tenant id}</c>, <c>teams:{team id}</c>, <c>teams:{channel or chat conversation id}</c> (without a
/// <c>;messageid=</c> suffix), web <c>web:{visitor id}</c>, and <c>terminal</c>. Configuration addresses a place as
/// <c>Places:{Id}:*</c> (its colons are section separators; environment variables use <c>__</c>).
/// </summary>
public sealed record Place(string Id, PlaceKind Kind)
{
    /// <summary>The terminal's one place.</summary>
    public static Place Terminal { get; } = new("terminal", PlaceKind.Terminal);

    public override string ToString() => Id;
}

/// <summary>
/// Where a conversation lives, from the outermost place to the nearest (Discord: server → channel → thread; Teams:
/// tenant → team → channel; a DM is one level). Settings resolve from the nearest place that sets them.
/// </summary>
public sealed record PlacePath
{
    public PlacePath(IReadOnlyList<Place> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0)
            throw new ArgumentException("A place path has at least one place.", nameof(levels));
        Levels = levels;
    }

    /// <summary>The places, outermost first.</summary>
    public IReadOnlyList<Place> Levels { get; }

    /// <summary>Where the conversation itself is (a thread, a channel, a chat).</summary>
    public Place Nearest => Levels[^1];

    /// <summary>
    /// The place a tenant budget counts: the Teams tenant, or the Discord server (a community is its own tenant); null
    /// where there is none (a DM, the web, the terminal).
    /// </summary>
    public Place? Tenant => Levels.FirstOrDefault(l => l.Kind == PlaceKind.Tenant) ?? Levels.FirstOrDefault(l => l.Kind == PlaceKind.Server);

    /// <summary>
    /// The place a per-place budget counts when the limit comes from <c>Budgets:*</c> or <c>Places:Defaults</c>: the
    /// outermost level below the tenant (the Discord server, the Teams team or chat, the DM, the visitor, the terminal).
    /// A limit set on a place itself counts that place (with everything below it).
    /// </summary>
    public Place Community => Levels.FirstOrDefault(l => l.Kind is not PlaceKind.Tenant) ?? Levels[^1];

    /// <summary>The place ids, outermost first.</summary>
    public IEnumerable<string> Ids => Levels.Select(l => l.Id);

    /// <summary>A path of the given places, outermost first.</summary>
    public static PlacePath Of(params Place[] levels) => new(levels);

    /// <summary>
    /// The path of a message whose adapter names no places: one level, the conversation itself
    /// (<c>{channel}:{conversation id}</c>).
    /// </summary>
    public static PlacePath OfConversation(Conversations.ConversationKey key) =>
        key.Channel == Place.Terminal.Id ? Of(Place.Terminal) : Of(new Place(key.ToString(), PlaceKind.Channel));

    public override string ToString() => string.Join(" > ", Ids);
}
