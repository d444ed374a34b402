using Bot.Core.Conversations;

namespace Bot.OpenAI;

/// <summary>How the bot labels what it creates remotely, shared by both backends.</summary>
internal static class RemoteMetadata
{
    /// <summary>Tags a remote conversation or thread with the chat it belongs to (OpenAI allows 512 characters per value).</summary>
    public static void Tag(IDictionary<string, string> metadata, ConversationKey key)
    {
        metadata["channel"] = Truncate(key.Channel, 512);
        metadata["chat"] = Truncate(key.ConversationId, 512);
    }

    public static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
