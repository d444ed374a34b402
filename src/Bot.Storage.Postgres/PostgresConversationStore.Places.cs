using Bot.Core.Storage;

namespace Bot.Storage.Postgres;

/// <summary>Followed places and visitor sessions (<see cref="IFollowedPlaces"/>, <see cref="IVisitorSessions"/>).</summary>
public sealed partial class PostgresConversationStore
{
    private const string SelectPlaceFollowedSql = "SELECT 1 FROM followed_places WHERE channel = @channel AND place_id = @place_id;";

    // Following again keeps the first time.
    private const string FollowPlaceSql =
        "INSERT INTO followed_places (channel, place_id, followed_at_ms) VALUES (@channel, @place_id, @now) " +
        "ON CONFLICT (channel, place_id) DO NOTHING;";

    private const string SelectCurrentThreadSql = "SELECT current_thread_id FROM visitors WHERE visitor_id = @visitor_id;";

    private const string SetCurrentThreadSql =
        "INSERT INTO visitors (visitor_id, current_thread_id, updated_at_ms) VALUES (@visitor_id, @thread_id, @now) " +
        "ON CONFLICT (visitor_id) DO UPDATE SET current_thread_id = excluded.current_thread_id, updated_at_ms = excluded.updated_at_ms;";

    private const string SelectThreadOwnerSql = "SELECT visitor_id FROM visitor_threads WHERE thread_id = @thread_id;";

    // @visitor_id NULL releases the thread.
    private const string SetThreadOwnerSql =
        "INSERT INTO visitor_threads (thread_id, visitor_id, updated_at_ms) VALUES (@thread_id, @visitor_id, @now) " +
        "ON CONFLICT (thread_id) DO UPDATE SET visitor_id = excluded.visitor_id, updated_at_ms = excluded.updated_at_ms;";

    /// <inheritdoc />
    public Task<bool> IsPlaceFollowedAsync(string channel, string placeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        return ReadAsync(async connection =>
        {
            await using var command = Command(connection, SelectPlaceFollowedSql, ("channel", channel), ("place_id", placeId));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task FollowPlaceAsync(string channel, string placeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        return ExecuteAsync(FollowPlaceSql, cancellationToken, ("channel", channel), ("place_id", placeId), ("now", Now));
    }

    /// <inheritdoc />
    public Task<string?> FindCurrentThreadAsync(string visitorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        return ReadAsync(async connection =>
        {
            await using var command = Command(connection, SelectCurrentThreadSql, ("visitor_id", visitorId));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetCurrentThreadAsync(string visitorId, string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return ExecuteAsync(SetCurrentThreadSql, cancellationToken, ("visitor_id", visitorId), ("thread_id", threadId), ("now", Now));
    }

    /// <inheritdoc />
    public Task<ThreadOwnership?> FindThreadOwnerAsync(string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return FindOneAsync(SelectThreadOwnerSql, reader => new ThreadOwnership(reader.GetStringOrNull(0)), cancellationToken,
            ("thread_id", threadId));
    }

    /// <inheritdoc />
    public Task ClaimThreadAsync(string threadId, string visitorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        return SetThreadOwnerAsync(threadId, visitorId, cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseThreadAsync(string threadId, CancellationToken cancellationToken = default) =>
        SetThreadOwnerAsync(threadId, null, cancellationToken);

    private Task SetThreadOwnerAsync(string threadId, string? visitorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return ExecuteAsync(SetThreadOwnerSql, cancellationToken, ("thread_id", threadId), ("visitor_id", visitorId), ("now", Now));
    }
}
