using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>The registry of remote objects, and the key/value memory.</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task RecordRemoteObjectAsync(long conversationId, RemoteObjectRecord remoteObject,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteObject);
        ArgumentException.ThrowIfNullOrEmpty(remoteObject.RemoteId, nameof(remoteObject));
        // The port passes no time here, so the store's clock dates the record.
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.InsertRemoteObject, null);
            var parameters = command.Parameters;
            parameters.AddValue("$conversation_id", conversationId);
            parameters.AddValue("$kind", remoteObject.Kind.ToString());
            parameters.AddValue("$remote_id", remoteObject.RemoteId);
            parameters.AddValue("$label", remoteObject.Label);
            parameters.AddValue("$purpose", remoteObject.Purpose);
            parameters.AddValue("$now", now);
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RemoteObjectRecord>> GetRemoteObjectsAsync(long conversationId,
        CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<RemoteObjectRecord>>(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectLiveRemoteObjects);
            command.Parameters.AddValue("$conversation_id", conversationId);
            using var reader = command.ExecuteReader();
            var records = new List<RemoteObjectRecord>();
            while (reader.Read())
            {
                records.Add(new RemoteObjectRecord(
                    reader.GetEnum<RemoteObjectKind>(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetStringOrNull(3)));
            }

            return records;
        }, cancellationToken);

    /// <inheritdoc />
    public Task MarkRemoteObjectDeletedAsync(RemoteObjectKind kind, string remoteId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteId);
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.MarkRemoteObjectDeleted, null);
            command.Parameters.AddValue("$kind", kind.ToString());
            command.Parameters.AddValue("$remote_id", remoteId);
            command.Parameters.AddValue("$now", now);
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectValue);
            command.Parameters.AddValue("$key", key);
            return command.ExecuteScalar() as string;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetValueAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.UpsertValue, null);
            command.Parameters.AddValue("$key", key);
            command.Parameters.AddValue("$value", value);
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }
}
