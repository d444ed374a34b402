namespace Bot.Discord.Adapter;

/// <summary>
/// Where a reply goes, as stored with the incoming message: the Discord channel (or thread), the message it
/// answers, and the conversation (for the Stop button). Serialized as <c>channel|message|conversation</c>.
/// </summary>
internal sealed record ReplyAddress(string ChannelId, string? ReplyTo, string ConversationId)
{
    public override string ToString() => $"{ChannelId}|{ReplyTo}|{ConversationId}";

    public static ReplyAddress Parse(string text)
    {
        var parts = text.Split('|', 3);
        if (parts.Length != 3 || parts[0].Length == 0)
            throw new FormatException($"'{text}' is not a Discord reply address.");
        return new ReplyAddress(parts[0], parts[1].Length == 0 ? null : parts[1], parts[2]);
    }
}
