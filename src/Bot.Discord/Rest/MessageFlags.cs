namespace Bot.Discord.Rest;

/// <summary>The message flag bits the bot sets.</summary>
internal static class MessageFlags
{
    /// <summary>
    /// SUPPRESS_EMBEDS: no link previews. Allowed on create, on edit (where it is one of the two flags an edit may
    /// change) and on interaction responses, but not on a deferred response (type 5), which takes EPHEMERAL only.
    /// </summary>
    public const int SuppressEmbeds = 1 << 2;

    /// <summary>EPHEMERAL: only the invoking user sees an interaction response. It cannot be changed later.</summary>
    public const int Ephemeral = 1 << 6;
}
