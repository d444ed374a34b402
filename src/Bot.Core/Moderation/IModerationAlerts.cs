using Bot.Core.Conversations;

namespace Bot.Core.Moderation;

/// <summary>
/// Tells the operators about flagged input (implemented by the Discord adapter, which posts to
/// <c>Moderation:AlertChannelId</c>). Called best effort, after the user was refused; never given the message text.
/// </summary>
public interface IModerationAlerts
{
    /// <summary>Posts a notice about <paramref name="alert"/>.</summary>
    Task NotifyAsync(ModerationAlert alert, CancellationToken cancellationToken = default);
}

/// <summary>Who was flagged, where, and for what: never what they wrote.</summary>
public sealed record ModerationAlert(ConversationKey Conversation, string UserId, string UserName, IReadOnlyList<string> Categories);
