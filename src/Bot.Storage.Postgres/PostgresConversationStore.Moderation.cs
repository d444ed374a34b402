using Bot.Core.Storage;

namespace Bot.Storage.Postgres;

/// <summary>The moderation events (<see cref="IModerationLog"/>).</summary>
public sealed partial class PostgresConversationStore
{
    private const string InsertModerationEventSql =
        "INSERT INTO moderation_events (channel, user_id, conversation_id, categories, at_ms) " +
        "VALUES (@channel, @user_id, @conversation_id, @categories, @at);";

    private const string CountModerationEventsSql =
        "SELECT count(*) FROM moderation_events WHERE channel = @channel AND user_id = @user_id;";

    private const string SelectModerationEventsSql =
        "SELECT channel, user_id, conversation_id, categories, at_ms FROM moderation_events " +
        "WHERE channel = @channel AND user_id = @user_id ORDER BY at_ms DESC, id DESC;";

    /// <inheritdoc />
    public Task RecordModerationEventAsync(ModerationEventRecord moderationEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(moderationEvent);
        ArgumentException.ThrowIfNullOrEmpty(moderationEvent.Channel);
        ArgumentException.ThrowIfNullOrEmpty(moderationEvent.UserId);
        return ExecuteAsync(InsertModerationEventSql, cancellationToken,
            ("channel", moderationEvent.Channel),
            ("user_id", moderationEvent.UserId),
            ("conversation_id", moderationEvent.ConversationId),
            ("categories", StoredJson.Strings(moderationEvent.Categories)),
            ("at", moderationEvent.At));
    }

    /// <inheritdoc />
    public Task<int> CountModerationEventsAsync(string channel, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ReadAsync(async connection =>
        {
            await using var command = Command(connection, CountModerationEventsSql, ("channel", channel), ("user_id", userId));
            return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModerationEventRecord>> GetModerationEventsAsync(string channel, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ReadAllAsync(SelectModerationEventsSql, reader => new ModerationEventRecord(reader.GetString(0), reader.GetString(1),
            reader.GetString(2), StoredJson.StringsFrom(reader.GetString(3)), reader.GetTime(4)),
            cancellationToken, ("channel", channel), ("user_id", userId));
    }
}
