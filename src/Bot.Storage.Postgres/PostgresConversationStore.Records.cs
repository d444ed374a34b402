using Bot.Core.Storage;

namespace Bot.Storage.Postgres;

/// <summary>Named secrets and provisioned assistants (<see cref="IBotSecrets"/>, <see cref="IProvisionedAssistants"/>).</summary>
public sealed partial class PostgresConversationStore
{
    private const string SelectSecretSql = "SELECT value FROM secrets WHERE name = @name;";

    // The first secret stored under a name is kept: racing callers, on any instance, all read the same one back.
    private const string AddSecretSql =
        "INSERT INTO secrets (name, value, created_at_ms) VALUES (@name, @value, @now) ON CONFLICT (name) DO NOTHING;";

    private const string SelectProvisionedAssistantSql =
        "SELECT assistant_id, settings_hash FROM provisioned_assistants WHERE backend_kind = @backend_kind;";

    private const string SaveProvisionedAssistantSql =
        "INSERT INTO provisioned_assistants (backend_kind, assistant_id, settings_hash, updated_at_ms) " +
        "VALUES (@backend_kind, @assistant_id, @settings_hash, @now) ON CONFLICT (backend_kind) DO UPDATE SET " +
        "assistant_id = excluded.assistant_id, settings_hash = excluded.settings_hash, updated_at_ms = excluded.updated_at_ms;";

    private const string ForgetProvisionedAssistantSql =
        "DELETE FROM provisioned_assistants WHERE backend_kind = @backend_kind AND assistant_id = @assistant_id;";

    /// <inheritdoc />
    public Task<byte[]> GetOrAddSecretAsync(string name, ReadOnlyMemory<byte> candidate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (candidate.IsEmpty)
            throw new ArgumentException("A secret cannot be empty.", nameof(candidate));
        var value = candidate.ToArray();
        return ReadAsync(async connection =>
        {
            // Every start after the first finds it.
            if (await SelectSecretAsync(connection, name, cancellationToken).ConfigureAwait(false) is { } known)
                return known;

            await using (var add = Command(connection, AddSecretSql, ("name", name), ("value", value), ("now", Now)))
                await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            // Read back in a statement of its own, which sees a racing instance's committed row: that one is kept.
            return await SelectSecretAsync(connection, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The store did not keep the secret '{name}'.");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProvisionedAssistant?> FindProvisionedAssistantAsync(string backendKind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendKind);
        return FindOneAsync(SelectProvisionedAssistantSql, reader => new ProvisionedAssistant(backendKind, reader.GetString(0), reader.GetString(1)),
            cancellationToken, ("backend_kind", backendKind));
    }

    /// <inheritdoc />
    public Task SaveProvisionedAssistantAsync(ProvisionedAssistant assistant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assistant);
        ArgumentException.ThrowIfNullOrEmpty(assistant.BackendKind, nameof(assistant));
        ArgumentException.ThrowIfNullOrEmpty(assistant.AssistantId, nameof(assistant));
        ArgumentNullException.ThrowIfNull(assistant.SettingsHash, nameof(assistant));
        return ExecuteAsync(SaveProvisionedAssistantSql, cancellationToken,
            ("backend_kind", assistant.BackendKind),
            ("assistant_id", assistant.AssistantId),
            ("settings_hash", assistant.SettingsHash),
            ("now", Now));
    }

    /// <inheritdoc />
    public Task ForgetProvisionedAssistantAsync(string backendKind, string assistantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendKind);
        ArgumentException.ThrowIfNullOrEmpty(assistantId);
        return ExecuteAsync(ForgetProvisionedAssistantSql, cancellationToken, ("backend_kind", backendKind), ("assistant_id", assistantId));
    }

    private static async Task<byte[]?> SelectSecretAsync(Npgsql.NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, SelectSecretSql, ("name", name));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }
}
