namespace Bot.Core.Storage;

/// <summary>The moderation events: flagged input per user (categories only, never the text). Safe to call concurrently.</summary>
public interface IModerationLog
{
    /// <summary>Records one flagged input.</summary>
    Task RecordModerationEventAsync(ModerationEventRecord moderationEvent, CancellationToken cancellationToken = default);

    /// <summary>How many flagged inputs a user of a channel has had, in all.</summary>
    Task<int> CountModerationEventsAsync(string channel, string userId, CancellationToken cancellationToken = default);

    /// <summary>A user's events, newest first.</summary>
    Task<IReadOnlyList<ModerationEventRecord>> GetModerationEventsAsync(string channel, string userId, CancellationToken cancellationToken = default);
}

/// <summary>One flagged input: the channel, the user, the chat conversation, the flagged categories and when.</summary>
public sealed record ModerationEventRecord(string Channel, string UserId, string ConversationId, IReadOnlyList<string> Categories, DateTimeOffset At);
