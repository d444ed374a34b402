namespace Bot.Discord.Adapter;

/// <summary>How Discord places map to conversation ids: a DM channel, a thread, a guild channel (or a user in it).</summary>
internal static class ConversationIds
{
    public static bool IsThread(int? channelType) => channelType is 10 or 11 or 12;

    public static bool IsDirect(string? guildId, int? channelType) => guildId is null || channelType is 1 or 3;

    /// <summary>The conversation id for a message or command in <paramref name="channelId"/> by <paramref name="userId"/>.</summary>
    public static string For(string channelId, string? guildId, int? channelType, string userId, ConversationScope scope)
    {
        if (IsDirect(guildId, channelType))
            return $"dm:{channelId}";
        if (IsThread(channelType))
            return $"thread:{channelId}";
        return scope == ConversationScope.User ? $"channel:{channelId}:user:{userId}" : $"channel:{channelId}";
    }
}
