using System.Collections.Concurrent;

namespace Bot.Discord.Adapter;

/// <summary>
/// What the gateway told about guilds that matters for addressing: the bot's managed role per guild (a
/// mention of it is a mention of the bot), and each thread's parent channel (for the channel allow-list).
/// </summary>
internal sealed class GuildDirectory
{
    private readonly ConcurrentDictionary<string, string> _botRoles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _threadParents = new(StringComparer.Ordinal);

    /// <summary>Takes roles and threads from GUILD_CREATE (or a GUILD_ROLE_* event's role).</summary>
    public void AddGuild(JsonElement guild, string botUserId)
    {
        var guildId = guild.GetProperty("id").GetString()!;
        if (guild.TryGetProperty("roles", out var roles))
        {
            foreach (var role in roles.EnumerateArray())
                AddRole(guildId, role, botUserId);
        }

        if (guild.TryGetProperty("threads", out var threads))
        {
            foreach (var thread in threads.EnumerateArray())
                AddThread(thread);
        }
    }

    public void AddRole(string guildId, JsonElement role, string botUserId)
    {
        if (role.TryGetProperty("tags", out var tags) && tags.TryGetProperty("bot_id", out var botId) && botId.GetString() == botUserId)
            _botRoles[guildId] = role.GetProperty("id").GetString()!;
    }

    /// <summary>Takes a thread channel object (THREAD_CREATE, GUILD_CREATE threads, a fetched channel).</summary>
    public void AddThread(JsonElement thread)
    {
        if (thread.TryGetProperty("parent_id", out var parent) && parent.ValueKind == JsonValueKind.String)
            _threadParents[thread.GetProperty("id").GetString()!] = parent.GetString()!;
    }

    public string? BotRole(string guildId) => _botRoles.GetValueOrDefault(guildId);

    /// <summary>The channel a thread belongs to, or null when the gateway told nothing about it.</summary>
    public string? ParentOf(string threadId) => _threadParents.GetValueOrDefault(threadId);

    /// <summary>The channel a thread belongs to, or the channel itself.</summary>
    public string ParentOrSelf(string channelId) => _threadParents.GetValueOrDefault(channelId, channelId);
}
