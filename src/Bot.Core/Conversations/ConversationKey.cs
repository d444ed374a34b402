namespace Bot.Core.Conversations;

/// <summary>Identifies one chat conversation: the channel it lives on and that channel's id for it.</summary>
public readonly record struct ConversationKey(string Channel, string ConversationId)
{
    public override string ToString() => $"{Channel}:{ConversationId}";
}
