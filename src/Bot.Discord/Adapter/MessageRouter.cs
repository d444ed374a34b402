using System.Text.RegularExpressions;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Adapter;

/// <summary>
/// Decides whether a MESSAGE_CREATE is for the bot and turns it into the core's <see cref="IncomingMessage"/>.
/// It is for the bot in a DM, when it mentions the bot (user or managed role), when it replies to one of the
/// bot's messages, in a thread the bot answers in, or anywhere in a channel or thread whose <c>ReplyMode</c> is
/// <c>All</c>. Bots, system messages and empty messages are ignored, and so, silently and without being stored, is what
/// the allow-lists refuse: the global ones (<see cref="AccessPolicy"/>, checked before any setting is read) and then the
/// place's own <c>AllowedUserIds</c> / <c>AllowedRoleIds</c>. A place's <c>ConversationScope</c> overrides
/// <see cref="DiscordOptions.ConversationScope"/>.
/// </summary>
internal sealed partial class MessageRouter(DiscordOptions options, GuildDirectory guilds, AccessPolicy access, IFollowedPlaces followed,
    DiscordPlaces places, PlaceSettings settings, ILogger<MessageRouter> logger)
{
    /// <summary>The message for the core, or null when the bot should not answer it.</summary>
    public async Task<IncomingMessage?> RouteAsync(JsonElement message, string botUserId, CancellationToken cancellationToken = default)
    {
        var author = message.GetProperty("author");
        var authorId = author.GetProperty("id").GetString()!;
        if (authorId == botUserId || Flag(author, "bot") || Flag(author, "system") || message.TryGetProperty("webhook_id", out _))
            return null;
        var type = message.TryGetProperty("type", out var t) ? t.GetInt32() : 0;
        if (type is not (0 or 19))
            return null;

        var content = message.TryGetProperty("content", out var c) ? c.GetString() ?? "" : "";
        var attachments = Attachments(message);
        if (string.IsNullOrWhiteSpace(content) && attachments.Count == 0)
            return null;

        var channelId = message.GetProperty("channel_id").GetString()!;
        var guildId = message.TryGetProperty("guild_id", out var g) ? g.GetString() : null;
        int? channelType = message.TryGetProperty("channel_type", out var ct) ? ct.GetInt32() : null;
        var place = new Place(channelId, guildId, channelType);
        var direct = place.IsDirect;
        // Places are checked before anything else (as ever, nothing is logged for them).
        if (!direct && !access.PlaceAllowed(place))
            return null;

        var role = guildId is null ? null : guilds.BotRole(guildId);
        var thread = ConversationIds.IsThread(channelType);
        var id = message.GetProperty("id").GetString()!;
        var addressed = direct || MentionsBot(message, content, botUserId, role) || RepliesToBot(message, botUserId);
        // The global lists come first, so that what they refuse costs no read of the store; a refusal is logged only
        // for a message meant for the bot.
        var requester = Requester.OfMessage(message);
        if (access.Check(requester, place) is var verdict and not Access.Allowed)
        {
            if (addressed)
                Log.MessageRefused(logger, id, authorId, verdict);
            return null;
        }

        var path = await places.PathAsync(place, cancellationToken).ConfigureAwait(false);
        var here = await settings.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        var remembered = thread && await followed.IsPlaceFollowedAsync(DiscordChannel.ChannelName, channelId, cancellationToken).ConfigureAwait(false);
        if (!(addressed || remembered || here.ReplyToAll))
            return null;
        if (!AccessPolicy.PlaceAdmits(requester, here, guildId))
        {
            Log.PlaceRefused(logger, id, authorId, path.Nearest.Id);
            return null;
        }

        if (thread && !remembered)
            await RememberThreadAsync(channelId, cancellationToken).ConfigureAwait(false);

        var text = StripMentions(content, botUserId, role);
        var conversation = ConversationIds.For(channelId, guildId, channelType, authorId, Scope(here, options));
        var name = DisplayName(message, author);
        var sent = message.TryGetProperty("timestamp", out var ts) && ts.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.UtcNow;
        return new IncomingMessage(new ConversationKey(DiscordChannel.ChannelName, conversation), id, new MessageAuthor(authorId, name),
            text, attachments, sent, new ReplyAddress(channelId, id, conversation, authorId).ToString(), IsShared: !direct, Places: path);
    }

    /// <summary>The conversation scope in force: the place's <c>ConversationScope</c>, else <c>Discord:ConversationScope</c>.</summary>
    public static ConversationScope Scope(EffectiveSettings here, DiscordOptions options) =>
        Enum.TryParse<ConversationScope>(here.ConversationScope, ignoreCase: true, out var scope) ? scope : options.ConversationScope;

    /// <summary>Remembers that the bot answers in a thread (so that messages there need no mention).</summary>
    public Task RememberThreadAsync(string threadId, CancellationToken cancellationToken = default) =>
        followed.FollowPlaceAsync(DiscordChannel.ChannelName, threadId, cancellationToken);

    private static bool MentionsBot(JsonElement message, string content, string botUserId, string? role)
    {
        if ((message.TryGetProperty("mentions", out var mentions) && mentions.EnumerateArray().Any(m => m.GetProperty("id").GetString() == botUserId)) ||
            content.Contains($"<@{botUserId}>", StringComparison.Ordinal) || content.Contains($"<@!{botUserId}>", StringComparison.Ordinal))
            return true;
        return role is not null && message.TryGetProperty("mention_roles", out var roles) && roles.EnumerateArray().Any(r => r.GetString() == role);
    }

    private static bool RepliesToBot(JsonElement message, string botUserId) =>
        message.TryGetProperty("referenced_message", out var referenced) && referenced.ValueKind == JsonValueKind.Object &&
        referenced.GetProperty("author").GetProperty("id").GetString() == botUserId;

    private static string StripMentions(string content, string botUserId, string? role)
    {
        var text = content.Replace($"<@{botUserId}>", "", StringComparison.Ordinal).Replace($"<@!{botUserId}>", "", StringComparison.Ordinal);
        if (role is not null)
            text = text.Replace($"<@&{role}>", "", StringComparison.Ordinal);
        return Spaces().Replace(text, " ").Trim();
    }

    private static string DisplayName(JsonElement message, JsonElement author)
    {
        if (message.TryGetProperty("member", out var member) && member.TryGetProperty("nick", out var nick) && nick.GetString() is { Length: > 0 } n)
            return n;
        if (author.TryGetProperty("global_name", out var global) && global.GetString() is { Length: > 0 } gn)
            return gn;
        return author.GetProperty("username").GetString() ?? "someone";
    }

    private static List<IncomingAttachment> Attachments(JsonElement message)
    {
        var list = new List<IncomingAttachment>();
        if (!message.TryGetProperty("attachments", out var attachments))
            return list;
        foreach (var a in attachments.EnumerateArray())
        {
            list.Add(new IncomingAttachment(a.GetProperty("filename").GetString() ?? "file",
                a.TryGetProperty("content_type", out var type) ? type.GetString() : null,
                a.TryGetProperty("size", out var size) ? size.GetInt64() : null,
                a.GetProperty("url").GetString() ?? ""));
        }

        return list;
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    [GeneratedRegex(@"[ \t]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
