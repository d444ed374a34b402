namespace Bot.Discord.Adapter;

/// <summary>
/// Where a reply goes, as stored with the incoming message: the Discord channel (or thread), the message it
/// answers, the conversation (for the Stop button) and who asked (the only non-moderator who may stop the
/// answer). Serialized as <c>channel|message|conversation|asker</c>; addresses stored before the asker was
/// added have three parts and no asker.
/// </summary>
internal sealed record ReplyAddress(string ChannelId, string? ReplyTo, string ConversationId, string? AskerId = null)
{
    public override string ToString() => $"{ChannelId}|{ReplyTo}|{ConversationId}|{AskerId}";

    public static ReplyAddress Parse(string text)
    {
        var parts = text.Split('|', 4);
        if (parts.Length < 3 || parts[0].Length == 0)
            throw new FormatException($"'{text}' is not a Discord reply address.");
        return new ReplyAddress(parts[0], NullIfEmpty(parts[1]), parts[2], parts.Length == 4 ? NullIfEmpty(parts[3]) : null);
    }

    private static string? NullIfEmpty(string part) => part.Length == 0 ? null : part;
}
