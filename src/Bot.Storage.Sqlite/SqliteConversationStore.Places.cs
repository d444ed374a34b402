using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>Followed places and visitor sessions (<see cref="IFollowedPlaces"/>, <see cref="IVisitorSessions"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task<bool> IsPlaceFollowedAsync(string channel, string placeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        return ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectPlaceFollowed, ("$channel", channel), ("$place_id", placeId));
            return command.ExecuteScalar() is not null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task FollowPlaceAsync(string channel, string placeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(placeId);
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.FollowPlace, null, ("$channel", channel), ("$place_id", placeId), ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> FindCurrentThreadAsync(string visitorId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        return ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectCurrentThread, ("$visitor_id", visitorId));
            return command.ExecuteScalar() as string;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetCurrentThreadAsync(string visitorId, string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(visitorId);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.SetCurrentThread, null,
                ("$visitor_id", visitorId),
                ("$thread_id", threadId),
                ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ThreadOwnership?> FindThreadOwnerAsync(string threadId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return FindOneAsync(StoreSql.SelectThreadOwner, "$thread_id", threadId, reader => new ThreadOwnership(reader.GetStringOrNull(0)), cancellationToken);
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
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.SetThreadOwner, null, ("$thread_id", threadId), ("$visitor_id", visitorId), ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }
}
