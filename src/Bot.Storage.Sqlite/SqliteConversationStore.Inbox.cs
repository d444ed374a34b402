using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>The inbox of accepted messages (<see cref="IInbox"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task<long?> TryAcceptAsync(IncomingMessage message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(message.Author);
        ArgumentException.ThrowIfNullOrEmpty(message.MessageId, nameof(message));
        // Serialize before queueing for the writer: the lock is held only for the insert.
        var attachments = StoredJson.Attachments(message.Attachments ?? []);
        var places = StoredJson.Places(message.Places);
        return WriteAsync<long?>(_ =>
        {
            var command = WriterCommand(StoreSql.AcceptMessage, null,
                ("$channel", message.Conversation.Channel),
                ("$chat_conversation_id", message.Conversation.ConversationId),
                ("$message_id", message.MessageId),
                ("$author_id", message.Author.Id),
                ("$author_name", message.Author.DisplayName),
                ("$text", message.Text),
                ("$attachments", attachments),
                ("$reply_address", message.ReplyAddress),
                ("$is_shared", message.IsShared),
                ("$places", places),
                ("$received_at_ms", message.ReceivedAt),
                ("$now", now),
                ("$status", nameof(InboxStatus.Accepted)));
            // A duplicate inserts nothing and so returns no row.
            return command.ExecuteScalar() is long id ? id : null;
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetInboxStatusAsync(IReadOnlyList<long> inboxIds, InboxStatus status, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        if (inboxIds.Count == 0)
            return Task.CompletedTask;
        var ids = SqliteValues.ToJson(inboxIds);
        var finished = status is not (InboxStatus.Accepted or InboxStatus.Processing);
        return WriteAsync(_ =>
        {
            var command = WriterCommand(finished ? StoreSql.FinishInboxMessages : StoreSql.SetInboxStatus, null,
                ("$ids", ids),
                ("$status", status.ToString()),
                ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return ReadInboxAsync(StoreSql.SelectUnfinishedInbox, cancellationToken, ("$channel", channel));
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<long, InboxStatus>> GetInboxStatusesAsync(IReadOnlyList<long> inboxIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        var ids = SqliteValues.ToJson(inboxIds);
        return ReadAsync<IReadOnlyDictionary<long, InboxStatus>>(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectInboxStatuses, [("$ids", ids)]);
            using var reader = command.ExecuteReader();
            var statuses = new Dictionary<long, InboxStatus>();
            while (reader.Read())
                statuses[reader.GetInt64(0)] = Enum.Parse<InboxStatus>(reader.GetString(1));
            return statuses;
        }, cancellationToken);
    }

    // Inbox rows in the column order of StoreRows.InboxColumns.
    private Task<IReadOnlyList<InboxRecord>> ReadInboxAsync(string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] values) =>
        ReadAsync<IReadOnlyList<InboxRecord>>(connection =>
        {
            using var command = ReaderCommand(connection, sql, values);
            using var reader = command.ExecuteReader();
            var records = new List<InboxRecord>();
            while (reader.Read())
                records.Add(StoreRows.Inbox(reader));
            return records;
        }, cancellationToken);
}
