namespace Bot.Core.Storage;

/// <summary>One message of a web chat transcript as the store keeps it: its id and its JSON (the web channel's shape).</summary>
public sealed record WebTranscriptRow(string MessageId, string Json);

/// <summary>
/// A change one instance showed on a web chat thread (a message grown, a status, a turn ended), kept briefly so that the
/// pages connected to other instances see it too. <see cref="Id"/> grows in the order the events were added.
/// </summary>
public sealed record WebThreadEvent(long Id, string ThreadId, string OriginInstanceId, string Type, string Json, DateTimeOffset At);

/// <summary>
/// The web chat's transcripts and the relay of its live events, shared by every instance on one store: a page may talk
/// to any instance. The store keeps the JSON it is given and never reads it. Safe to call concurrently.
/// </summary>
public interface IWebTranscripts
{
    /// <summary>The thread's messages in the order they were first saved; empty for an unknown thread.</summary>
    Task<IReadOnlyList<WebTranscriptRow>> GetWebMessagesAsync(string threadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the messages, or replaces the ones the thread already has with the same id (which keep their place), in one
    /// step.
    /// </summary>
    Task SaveWebMessagesAsync(string threadId, IReadOnlyList<WebTranscriptRow> messages, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Forgets the thread's messages and events.</summary>
    Task DeleteWebThreadAsync(string threadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an event and returns its id. Ids grow in the order events become visible to readers, so a reader that remembers
    /// the last id it read misses none.
    /// </summary>
    Task<long> AddWebEventAsync(string threadId, string originInstanceId, string type, string json, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>The events after <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebThreadEvent>> GetWebEventsAsync(long afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The id of the newest event, or 0 when there is none: where a starting instance begins to read.</summary>
    Task<long> GetLastWebEventIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes events added before <paramref name="before"/>. Returns how many.</summary>
    Task<int> PruneWebEventsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
