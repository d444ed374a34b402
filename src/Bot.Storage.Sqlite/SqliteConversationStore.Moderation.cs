using System.Globalization;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>The moderation events (<see cref="IModerationLog"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task RecordModerationEventAsync(ModerationEventRecord moderationEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(moderationEvent);
        ArgumentException.ThrowIfNullOrEmpty(moderationEvent.Channel);
        ArgumentException.ThrowIfNullOrEmpty(moderationEvent.UserId);
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.InsertModerationEvent, null,
                ("$channel", moderationEvent.Channel),
                ("$user_id", moderationEvent.UserId),
                ("$conversation_id", moderationEvent.ConversationId),
                ("$categories", StoredJson.Strings(moderationEvent.Categories)),
                ("$at", moderationEvent.At));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> CountModerationEventsAsync(string channel, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.CountModerationEvents, ("$channel", channel), ("$user_id", userId));
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModerationEventRecord>> GetModerationEventsAsync(string channel, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ReadAsync<IReadOnlyList<ModerationEventRecord>>(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectModerationEvents, ("$channel", channel), ("$user_id", userId));
            using var reader = command.ExecuteReader();
            var events = new List<ModerationEventRecord>();
            while (reader.Read())
            {
                events.Add(new ModerationEventRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    StoredJson.StringsFrom(reader.GetString(3)), reader.GetTime(4)));
            }

            return events;
        }, cancellationToken);
    }
}
