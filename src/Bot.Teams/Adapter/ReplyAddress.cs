using System.Text.Json;

namespace Bot.Teams.Adapter;

/// <summary>Where a reply goes, stored with each message (so replies survive a restart).</summary>
/// <param name="ServiceUrl">The activity's serviceUrl: the base of every Connector call for the conversation.</param>
/// <param name="ConversationId">The Teams conversation id (a channel's includes <c>;messageid=</c>).</param>
/// <param name="ActivityId">The user's message, answered in the reply chain.</param>
/// <param name="Scope">personal, groupChat or channel.</param>
/// <param name="Bot">The bot's account id in the conversation (<c>28:…</c>).</param>
internal sealed record ReplyAddress(string ServiceUrl, string ConversationId, string? ActivityId, string Scope, string? Bot)
{
    public bool IsPersonal => string.Equals(Scope, Scopes.Personal, StringComparison.OrdinalIgnoreCase);

    public string Serialize() => JsonSerializer.Serialize(this, TeamsJson.Default.ReplyAddress);

    public static ReplyAddress Parse(string value) =>
        JsonSerializer.Deserialize(value, TeamsJson.Default.ReplyAddress) ?? throw new FormatException("Empty Teams reply address.");
}

/// <summary>Teams conversation types.</summary>
internal static class Scopes
{
    public const string Personal = "personal";
    public const string GroupChat = "groupChat";
    public const string Channel = "channel";
}
