using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>Web chat transcripts and the relay of its live events (<see cref="IWebTranscripts"/>).</summary>
/// <remarks>
/// Events are added on the writer connection, which SQLite serializes with every other process's writers, so ids
/// become visible in the order they were given.
/// </remarks>
public sealed partial class SqliteConversationStore : IWebTranscripts
{
    private const string SelectWebMessages = "SELECT message_id, json FROM web_messages WHERE thread_id = $thread_id ORDER BY seq;";

    private const string UpsertWebMessage =
        "INSERT INTO web_messages (thread_id, message_id, json, saved_at_ms) VALUES ($thread_id, $message_id, $json, $now) " +
        "ON CONFLICT (thread_id, message_id) DO UPDATE SET json = excluded.json, saved_at_ms = excluded.saved_at_ms;";

    private const string DeleteWebMessages = "DELETE FROM web_messages WHERE thread_id = $thread_id;";

    // The events table holds the last few minutes of events: reading it by thread scans it, which is cheap.
    private const string DeleteWebEvents = "DELETE FROM web_events WHERE thread_id = $thread_id;";

    private const string InsertWebEvent =
        "INSERT INTO web_events (thread_id, origin_instance_id, type, json, created_at_ms) " +
        "VALUES ($thread_id, $origin, $type, $json, $now) RETURNING id;";

    private const string SelectWebEvents =
        "SELECT id, thread_id, origin_instance_id, type, json, created_at_ms FROM web_events WHERE id > $after ORDER BY id LIMIT $limit;";

    private const string SelectLastWebEvent = "SELECT coalesce(max(id), 0) FROM web_events;";

    private const string PruneWebEvents = "DELETE FROM web_events WHERE created_at_ms < $before;";

    /// <inheritdoc />
    public Task<IReadOnlyList<WebTranscriptRow>> GetWebMessagesAsync(string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return ReadAsync<IReadOnlyList<WebTranscriptRow>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectWebMessages, ("$thread_id", threadId));
            using var reader = command.ExecuteReader();
            var rows = new List<WebTranscriptRow>();
            while (reader.Read())
                rows.Add(new WebTranscriptRow(reader.GetString(0), reader.GetString(1)));
            return rows;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveWebMessagesAsync(string threadId, IReadOnlyList<WebTranscriptRow> messages, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            return Task.CompletedTask;
        return WriteAsync(transaction =>
        {
            foreach (var message in messages)
            {
                WriterCommand(UpsertWebMessage, transaction, ("$thread_id", threadId), ("$message_id", message.MessageId), ("$json", message.Json),
                    ("$now", now)).ExecuteNonQuery();
            }

            return 0;
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteWebThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return WriteAsync(transaction =>
        {
            WriterCommand(DeleteWebMessages, transaction, ("$thread_id", threadId)).ExecuteNonQuery();
            return WriterCommand(DeleteWebEvents, transaction, ("$thread_id", threadId)).ExecuteNonQuery();
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> AddWebEventAsync(string threadId, string originInstanceId, string type, string json, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentException.ThrowIfNullOrEmpty(originInstanceId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        return WriteAsync(_ => Convert.ToInt64(WriterCommand(InsertWebEvent, null, ("$thread_id", threadId), ("$origin", originInstanceId),
            ("$type", type), ("$json", json), ("$now", now)).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture),
            inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebThreadEvent>> GetWebEventsAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<WebThreadEvent>>(connection =>
        {
            using var command = ReaderCommand(connection, SelectWebEvents, ("$after", afterId), ("$limit", limit));
            using var reader = command.ExecuteReader();
            var rows = new List<WebThreadEvent>();
            while (reader.Read())
            {
                rows.Add(new WebThreadEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetTime(5)));
            }

            return rows;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> GetLastWebEventIdAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, SelectLastWebEvent);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneWebEventsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        WriteAsync(_ => WriterCommand(PruneWebEvents, null, ("$before", before)).ExecuteNonQuery(), inTransaction: false, cancellationToken);
}
