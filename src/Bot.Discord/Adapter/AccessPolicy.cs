using System.Globalization;
using System.Numerics;
using Bot.Core.Places;

namespace Bot.Discord.Adapter;

/// <summary>What <see cref="AccessPolicy"/> decided.</summary>
internal enum Access
{
    Allowed,
    /// <summary>A direct message, and <see cref="DiscordOptions.AllowDirectMessages"/> is off.</summary>
    DirectMessagesOff,
    /// <summary>A guild or channel outside <see cref="DiscordOptions.AllowedGuildIds"/> / <see cref="DiscordOptions.AllowedChannelIds"/>.</summary>
    PlaceNotAllowed,
    /// <summary>Neither in <see cref="DiscordOptions.AllowedUserIds"/> nor holding one of <see cref="DiscordOptions.AllowedRoleIds"/>.</summary>
    UserNotAllowed,
}

/// <summary>Where a message or interaction happened: the channel (or thread), its guild, its type and a thread's parent.</summary>
internal sealed record Place(string ChannelId, string? GuildId, int? ChannelType, string? ParentId = null)
{
    public bool IsDirect => ConversationIds.IsDirect(GuildId, ChannelType);

    /// <summary>The place of an INTERACTION_CREATE (its partial <c>channel</c> gives the type and a thread's parent).</summary>
    public static Place OfInteraction(JsonElement interaction)
    {
        var channelId = interaction.GetProperty("channel_id").GetString()!;
        var guildId = interaction.TryGetProperty("guild_id", out var g) ? g.GetString() : null;
        if (!interaction.TryGetProperty("channel", out var channel))
            return new Place(channelId, guildId, null);
        var type = channel.TryGetProperty("type", out var t) ? t.GetInt32() : (int?)null;
        var parent = channel.TryGetProperty("parent_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new Place(channelId, guildId, type, parent);
    }
}

/// <summary>
/// Who is asking: the user, their roles where there is a member object (in guilds; null in DMs), and the
/// permissions Discord computed for them in the channel (interactions only).
/// </summary>
internal sealed record Requester(string UserId, IReadOnlyList<string>? RoleIds, BigInteger Permissions)
{
    private static readonly BigInteger s_administrator = BigInteger.One << 3, s_manageGuild = BigInteger.One << 5,
        s_manageMessages = BigInteger.One << 13;

    /// <summary>MANAGE_MESSAGES or ADMINISTRATOR in the channel: may stop anyone's answer.</summary>
    public bool IsModerator => !(Permissions & (s_administrator | s_manageMessages)).IsZero;

    /// <summary>MANAGE_GUILD (Manage Server) or ADMINISTRATOR: may show and change the bot's settings.</summary>
    public bool IsManager => !(Permissions & (s_administrator | s_manageGuild)).IsZero;

    /// <summary>The author of a MESSAGE_CREATE (its <c>member</c>, when present, has the roles but no permissions).</summary>
    public static Requester OfMessage(JsonElement message) =>
        new(message.GetProperty("author").GetProperty("id").GetString()!, Roles(message), BigInteger.Zero);

    /// <summary>The user of an INTERACTION_CREATE: <c>member.user</c> in guilds, <c>user</c> in DMs.</summary>
    public static Requester OfInteraction(JsonElement interaction)
    {
        var hasMember = interaction.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object;
        var user = hasMember ? member.GetProperty("user") : interaction.GetProperty("user");
        // A string bitfield that may outgrow 64 bits; anything unreadable grants nothing.
        var permissions = hasMember && member.TryGetProperty("permissions", out var p) && p.ValueKind == JsonValueKind.String &&
            BigInteger.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : BigInteger.Zero;
        return new Requester(user.GetProperty("id").GetString()!, Roles(interaction), permissions);
    }

    private static List<string>? Roles(JsonElement payload) =>
        payload.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object &&
        member.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? [.. roles.EnumerateArray().Select(r => r.GetString()).OfType<string>()]
            : null;
}

/// <summary>
/// The allow-lists in one place, for messages, slash commands and buttons alike: direct messages on or off, the
/// guilds and channels the bot answers in (a thread counts as its parent channel), and the users and roles it
/// answers (a user id matches everywhere; roles only where Discord sends a member object, i.e. in guilds).
/// </summary>
internal sealed class AccessPolicy(DiscordOptions options, GuildDirectory guilds)
{
    public Access Check(Requester requester, Place place)
    {
        if (place.IsDirect)
        {
            if (!options.AllowDirectMessages)
                return Access.DirectMessagesOff;
        }
        else if (!PlaceAllowed(place))
        {
            return Access.PlaceNotAllowed;
        }

        return UserAllowed(requester, place.GuildId) ? Access.Allowed : Access.UserNotAllowed;
    }

    /// <summary>Whether the guild and channel allow-lists let the bot answer in this guild place.</summary>
    public bool PlaceAllowed(Place place) =>
        (options.AllowedGuildIds.Count == 0 || options.AllowedGuildIds.Contains(place.GuildId!)) &&
        (options.AllowedChannelIds.Count == 0 || options.AllowedChannelIds.Contains(place.ChannelId) ||
         options.AllowedChannelIds.Contains(place.ParentId ?? guilds.ParentOrSelf(place.ChannelId)));

    /// <summary>
    /// Whether a place's own allow-lists (<c>AllowedUserIds</c>, <c>AllowedRoleIds</c> set by <c>/settings</c> or
    /// <c>Places:*</c>) let the requester in, on top of the global ones; both empty: everyone the global lists admit.
    /// </summary>
    public static bool PlaceAdmits(Requester requester, EffectiveSettings here, string? guildId)
    {
        var users = here.AllowedUserIds;
        var roles = here.AllowedRoleIds;
        if (users.Count == 0 && roles.Count == 0)
            return true;
        if (users.Contains(requester.UserId))
            return true;
        return requester.RoleIds is { } held && (held.Any(roles.Contains) || (guildId is not null && roles.Contains(guildId)));
    }

    /// <summary>The sentence a refused command or button gets (messages are refused silently).</summary>
    public static string Refusal(Access access) => access switch
    {
        Access.DirectMessagesOff => "I don't answer direct messages.",
        Access.PlaceNotAllowed => "I don't answer in this channel.",
        _ => "Sorry, I'm not set up to answer you here.",
    };

    private bool UserAllowed(Requester requester, string? guildId)
    {
        if (options.AllowedUserIds.Count == 0 && options.AllowedRoleIds.Count == 0)
            return true;
        if (options.AllowedUserIds.Contains(requester.UserId))
            return true;
        // Without a member object (a DM) there are no roles to check, so a role list alone never admits a DM.
        // Member objects leave out @everyone, whose role id is the guild's own id.
        return requester.RoleIds is { } roles &&
            (roles.Any(options.AllowedRoleIds.Contains) || (guildId is not null && options.AllowedRoleIds.Contains(guildId)));
    }
}
