using Bot.Core.Storage;

namespace Bot.Storage.Postgres;

/// <summary>Web chat transcripts and the relay of its live events (<see cref="IWebTranscripts"/>).</summary>
/// <remarks>
/// Identity values are taken in one order but transactions may commit in another, so a reader could see event 8 before
/// event 7 and, remembering 8, never read 7. Adding an event therefore takes a transaction-scoped advisory lock: events
/// are added one at a time, and their ids become visible in order.
/// </remarks>
public sealed partial class PostgresConversationStore : IWebTranscripts
{
    /// <summary>The advisory lock key that orders web events (an arbitrary constant: "bot.webev" in ASCII, truncated).</summary>
    private const long WebEventLockKey = 0x626F_742E_7765_6265;

    private const string SelectWebMessages = "SELECT message_id, json FROM web_messages WHERE thread_id = @thread_id ORDER BY seq;";

    private const string UpsertWebMessage =
        "INSERT INTO web_messages (thread_id, message_id, json, saved_at_ms) VALUES (@thread_id, @message_id, @json, @now) " +
        "ON CONFLICT (thread_id, message_id) DO UPDATE SET json = excluded.json, saved_at_ms = excluded.saved_at_ms;";

    private const string DeleteWebThread =
        "DELETE FROM web_messages WHERE thread_id = @thread_id; DELETE FROM web_events WHERE thread_id = @thread_id;";

    private const string InsertWebEvent =
        "SELECT pg_advisory_xact_lock(@key); INSERT INTO web_events (thread_id, origin_instance_id, type, json, created_at_ms) " +
        "VALUES (@thread_id, @origin, @type, @json, @now) RETURNING id;";

    private const string SelectWebEvents =
        "SELECT id, thread_id, origin_instance_id, type, json, created_at_ms FROM web_events WHERE id > @after ORDER BY id LIMIT @limit;";

    /// <inheritdoc />
    public Task<IReadOnlyList<WebTranscriptRow>> GetWebMessagesAsync(string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return ReadAllAsync(SelectWebMessages, r => new WebTranscriptRow(r.GetString(0), r.GetString(1)), cancellationToken, ("thread_id", threadId));
    }

    /// <inheritdoc />
    public Task SaveWebMessagesAsync(string threadId, IReadOnlyList<WebTranscriptRow> messages, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            return Task.CompletedTask;
        return InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var message in messages)
            {
                await using var command = Command(connection, transaction, UpsertWebMessage, ("thread_id", threadId), ("message_id", message.MessageId),
                    ("json", message.Json), ("now", now));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteWebThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, DeleteWebThread, ("thread_id", threadId));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> AddWebEventAsync(string threadId, string originInstanceId, string type, string json, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentException.ThrowIfNullOrEmpty(originInstanceId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, InsertWebEvent, ("key", WebEventLockKey), ("thread_id", threadId),
                ("origin", originInstanceId), ("type", type), ("json", json), ("now", now));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return reader.GetInt64(0);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebThreadEvent>> GetWebEventsAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAllAsync(SelectWebEvents,
            r => new WebThreadEvent(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetTime(5)),
            cancellationToken, ("after", afterId), ("limit", limit));
    }

    /// <inheritdoc />
    public Task<long> GetLastWebEventIdAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, "SELECT coalesce(max(id), 0) FROM web_events;");
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneWebEventsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM web_events WHERE created_at_ms < @before;", cancellationToken, ("before", before));
}
