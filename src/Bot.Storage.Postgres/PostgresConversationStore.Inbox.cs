using Bot.Core.Conversations;
using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>The inbox of accepted messages (<see cref="IInbox"/>).</summary>
public sealed partial class PostgresConversationStore
{
    // The unique key (channel, message_id) is the dedup: a duplicate inserts nothing and returns no row, whichever
    // instance received it.
    internal const string AcceptMessageSql =
        "INSERT INTO inbox (channel, chat_conversation_id, message_id, author_id, author_name, text, attachments, " +
        "reply_address, is_shared, places, received_at_ms, accepted_at_ms, status, updated_at_ms) " +
        "VALUES (@channel, @chat_conversation_id, @message_id, @author_id, @author_name, @text, @attachments, " +
        "@reply_address, @is_shared, @places, @received_at_ms, @now, @status, @now) " +
        "ON CONFLICT (channel, message_id) DO NOTHING RETURNING id;";

    // What a message said, forgotten once it is finished with (answered, failed, cancelled); its ids and times stay.
    private const string Forget = "text = '', author_name = '', attachments = '[]'";

    private const string SetInboxStatusSql =
        "UPDATE inbox SET status = @status, updated_at_ms = @now WHERE id = ANY(@ids);";

    private const string FinishInboxMessagesSql =
        $"UPDATE inbox SET status = @status, updated_at_ms = @now, {Forget} WHERE id = ANY(@ids);";

    private const string MoveInboxIntoTurnSql =
        "UPDATE inbox SET status = @status, turn_id = @turn_id, updated_at_ms = @now WHERE id = ANY(@ids);";

    private const string SetInboxStatusOfTurnSql =
        $"UPDATE inbox SET status = @status, updated_at_ms = @now, {Forget} WHERE turn_id = @turn_id;";

    // The status condition is written exactly as in the partial index ix_inbox_unfinished so that the index serves it.
    private const string SelectInboxStatusesSql = "SELECT id, status FROM inbox WHERE id = ANY(@ids);";

    private const string SelectUnfinishedInboxSql =
        $"SELECT {StoreRows.InboxColumns} FROM inbox " +
        "WHERE channel = @channel AND status IN ('Accepted', 'Processing') ORDER BY id;";

    /// <inheritdoc />
    public Task<long?> TryAcceptAsync(IncomingMessage message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(message.Author);
        ArgumentException.ThrowIfNullOrEmpty(message.MessageId, nameof(message));
        var attachments = StoredJson.Attachments(message.Attachments ?? []);
        var places = StoredJson.Places(message.Places);
        return ReadAsync<long?>(async connection =>
        {
            await using var command = Command(connection, AcceptMessageSql,
                ("channel", message.Conversation.Channel),
                ("chat_conversation_id", message.Conversation.ConversationId),
                ("message_id", message.MessageId),
                ("author_id", message.Author.Id),
                ("author_name", message.Author.DisplayName),
                ("text", message.Text),
                ("attachments", attachments),
                ("reply_address", message.ReplyAddress),
                ("is_shared", message.IsShared),
                ("places", places),
                ("received_at_ms", message.ReceivedAt),
                ("now", now),
                ("status", nameof(InboxStatus.Accepted)));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetInboxStatusAsync(IReadOnlyList<long> inboxIds, InboxStatus status, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        if (inboxIds.Count == 0)
            return Task.CompletedTask;
        var finished = status is not (InboxStatus.Accepted or InboxStatus.Processing);
        return ExecuteAsync(finished ? FinishInboxMessagesSql : SetInboxStatusSql, cancellationToken,
            ("ids", inboxIds.ToArray()), ("status", status.ToString()), ("now", now));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<long, InboxStatus>> GetInboxStatusesAsync(IReadOnlyList<long> inboxIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        var rows = await ReadAllAsync(SelectInboxStatusesSql, r => (Id: r.GetInt64(0), Status: Enum.Parse<InboxStatus>(r.GetString(1))),
            cancellationToken, ("ids", inboxIds.ToArray())).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.Status);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return ReadAllAsync(SelectUnfinishedInboxSql, StoreRows.Inbox, cancellationToken, ("channel", channel));
    }

}
