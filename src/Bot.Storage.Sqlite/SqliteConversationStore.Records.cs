using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>Named secrets and provisioned assistants (<see cref="IBotSecrets"/>, <see cref="IProvisionedAssistants"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public async Task<byte[]> GetOrAddSecretAsync(string name, ReadOnlyMemory<byte> candidate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (candidate.IsEmpty)
            throw new ArgumentException("A secret cannot be empty.", nameof(candidate));

        // Every start after the first finds it: look without queueing behind the writer.
        var known = await ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.SelectSecret);
            return SelectSecret(command, name);
        }, cancellationToken).ConfigureAwait(false);
        if (known is not null)
            return known;

        var value = candidate.ToArray();
        var now = Now;
        return await WriteAsync(_ =>
        {
            var add = WriterCommand(StoreSql.AddSecret, null, ("$name", name), ("$value", value), ("$now", now));
            add.ExecuteNonQuery();
            // Read back: another process may have stored its own a moment ago, and that one is kept.
            return SelectSecret(WriterCommand(StoreSql.SelectSecret, null), name)
                ?? throw new InvalidOperationException($"The store did not keep the secret '{name}'.");
        }, inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ProvisionedAssistant?> FindProvisionedAssistantAsync(string backendKind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendKind);
        return FindOneAsync(StoreSql.SelectProvisionedAssistant, "$backend_kind", backendKind,
            reader => new ProvisionedAssistant(backendKind, reader.GetString(0), reader.GetString(1)), cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveProvisionedAssistantAsync(ProvisionedAssistant assistant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assistant);
        ArgumentException.ThrowIfNullOrEmpty(assistant.BackendKind, nameof(assistant));
        ArgumentException.ThrowIfNullOrEmpty(assistant.AssistantId, nameof(assistant));
        ArgumentNullException.ThrowIfNull(assistant.SettingsHash, nameof(assistant));
        var now = Now;
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.SaveProvisionedAssistant, null,
                ("$backend_kind", assistant.BackendKind),
                ("$assistant_id", assistant.AssistantId),
                ("$settings_hash", assistant.SettingsHash),
                ("$now", now));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task ForgetProvisionedAssistantAsync(string backendKind, string assistantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendKind);
        ArgumentException.ThrowIfNullOrEmpty(assistantId);
        return WriteAsync(_ =>
        {
            var command = WriterCommand(StoreSql.ForgetProvisionedAssistant, null,
                ("$backend_kind", backendKind),
                ("$assistant_id", assistantId));
            return command.ExecuteNonQuery();
        }, inTransaction: false, cancellationToken);
    }

    private static byte[]? SelectSecret(SqliteCommand command, string name)
    {
        return command.Bind(("$name", name)).ExecuteScalar() as byte[];
    }
}
