using Bot.Core.Conversations;

namespace Bot.Teams.Adapter;

/// <summary>Where a reply goes, stored with each message (so replies survive a restart).</summary>
/// <param name="ServiceUrl">The activity's serviceUrl: the base of every Connector call for the conversation.</param>
/// <param name="ConversationId">The Teams conversation id (a channel's includes <c>;messageid=</c>).</param>
/// <param name="ActivityId">The user's message, answered in the reply chain.</param>
/// <param name="Scope">personal, groupChat or channel.</param>
/// <param name="Bot">The bot's account id in the conversation (<c>28:…</c>).</param>
/// <param name="Tenant">
/// The conversation's tenant, lower case; empty when the activity named none; null only in addresses stored by a
/// version that did not bind conversations to tenants (their key stays the bare conversation id).
/// </param>
internal sealed record ReplyAddress(string ServiceUrl, string ConversationId, string? ActivityId, string Scope, string? Bot, string? Tenant = null)
{
    public bool IsPersonal => string.Equals(Scope, Scopes.Personal, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The core's id of the conversation: <c>{tenant}|{conversation id}</c>, so that the same Teams id arriving from another
    /// tenant is another conversation (tenant ids never contain <c>|</c>: <see cref="ActivityTenant"/> refuses them).
    /// </summary>
    public string KeyId => Tenant is null ? ConversationId : $"{Tenant}|{ConversationId}";

    /// <summary>The conversation in the core's terms; stop, reset and recovery use the same key as the messages.</summary>
    public ConversationKey Key => new(TeamsChannel.ChannelName, KeyId);

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
