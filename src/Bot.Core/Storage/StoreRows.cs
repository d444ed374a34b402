using System.Data.Common;
using Bot.Core.Backends;
using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// The records every SQL store reads back, from rows in the column order docs/data.md gives for each table's select:
/// times as unix milliseconds, enums by name, lists and paths as the JSON of <see cref="StoredJson"/>. One mapping for
/// every store, so that SQLite and PostgreSQL cannot drift apart.
/// </summary>
public static class StoreRows
{
    /// <summary>The columns <see cref="Conversation"/> reads, in its order.</summary>
    public const string ConversationColumns =
        "id, channel, chat_conversation_id, backend_kind, remote_conversation_id, vector_store_id, " +
        "created_at_ms, last_active_at_ms, archived_at_ms";

    /// <summary>The columns <see cref="Inbox"/> reads, in its order.</summary>
    public const string InboxColumns =
        "id, channel, chat_conversation_id, message_id, author_id, author_name, text, attachments, reply_address, " +
        "is_shared, received_at_ms, status, turn_id, places";

    /// <summary>The columns <see cref="Turn"/> reads, in its order.</summary>
    public const string TurnColumns =
        "id, conversation_id, status, started_at_ms, first_token_at_ms, finished_at_ms, response_ids, " +
        "input_tokens, output_tokens, error, resume_response_id, resume_sequence, resume_resumable, resume_running_tool, reply_message_ids";

    /// <summary>
    /// A conversation from (id, channel, chat_conversation_id, backend_kind, remote_conversation_id, vector_store_id,
    /// created_at_ms, last_active_at_ms, archived_at_ms).
    /// </summary>
    public static ConversationRecord Conversation(DbDataReader reader) => new(
        reader.GetInt64(0),
        new ConversationKey(reader.GetString(1), reader.GetString(2)),
        reader.GetString(3),
        StringOrNull(reader, 4),
        StringOrNull(reader, 5),
        Time(reader, 6),
        Time(reader, 7),
        TimeOrNull(reader, 8));

    /// <summary>
    /// An inbox message from (id, channel, chat_conversation_id, message_id, author_id, author_name, text, attachments,
    /// reply_address, is_shared, received_at_ms, status, turn_id, places).
    /// </summary>
    public static InboxRecord Inbox(DbDataReader reader)
    {
        var message = new IncomingMessage(
            new ConversationKey(reader.GetString(1), reader.GetString(2)),
            reader.GetString(3),
            new MessageAuthor(reader.GetString(4), reader.GetString(5)),
            reader.GetString(6),
            StoredJson.AttachmentsFrom(reader.GetString(7)),
            Time(reader, 10),
            reader.GetString(8),
            reader.GetBoolean(9),
            StoredJson.PlacesFrom(StringOrNull(reader, 13)));
        return new InboxRecord(reader.GetInt64(0), message, Enum.Parse<InboxStatus>(reader.GetString(11)),
            reader.IsDBNull(12) ? null : reader.GetInt64(12));
    }

    /// <summary>
    /// A turn from (id, conversation_id, status, started_at_ms, first_token_at_ms, finished_at_ms, response_ids,
    /// input_tokens, output_tokens, error, resume_response_id, resume_sequence, resume_resumable, resume_running_tool,
    /// reply_message_ids); the resume point is null when none was stored.
    /// </summary>
    public static TurnRecord Turn(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        Enum.Parse<TurnStatus>(reader.GetString(2)),
        Time(reader, 3),
        TimeOrNull(reader, 4),
        TimeOrNull(reader, 5),
        StoredJson.StringsFrom(reader.GetString(6)),
        new TokenUsage(reader.GetInt64(7), reader.GetInt64(8)),
        StringOrNull(reader, 9),
        reader.IsDBNull(14) ? null : new TurnResumePoint(StringOrNull(reader, 10), reader.GetInt64(11), reader.GetBoolean(12),
            StringOrNull(reader, 13), StoredJson.StringsFrom(reader.GetString(14))));

    /// <summary>What the inbox messages of a turn become when it ends with the given status.</summary>
    public static InboxStatus InboxStatusAfter(TurnStatus status) => status switch
    {
        TurnStatus.Completed or TurnStatus.Incomplete => InboxStatus.Answered,
        TurnStatus.Failed or TurnStatus.Interrupted => InboxStatus.Failed,
        TurnStatus.Cancelled => InboxStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A turn cannot finish as Running."),
    };

    private static string? StringOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Time(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static DateTimeOffset? TimeOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);
}
