using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>Every store port in one PostgreSQL database, shared by every process that points at it.</summary>
/// <remarks>
/// Each call takes a pooled connection of one <see cref="NpgsqlDataSource"/> for one statement or one short transaction.
/// Counters add inside the database (<c>ON CONFLICT … DO UPDATE SET n = n + excluded.n</c>) and dedup rides on unique
/// keys, so concurrent writers, in this process or another, never lose an update and never store a message twice.
/// </remarks>
public sealed partial class PostgresConversationStore : IConversationStore, IFollowedPlaces, IVisitorSessions, IBotSecrets,
    IProvisionedAssistants, IModerationLog, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresConversationStore> _logger;
    private readonly TimeProvider _timeProvider;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates the store; nothing connects before <see cref="InitializeAsync"/>.</summary>
    public PostgresConversationStore(IOptions<PostgresStoreOptions> options, ILogger<PostgresConversationStore> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Value.ConnectionString);
        _logger = logger;
        _timeProvider = timeProvider;
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        // Where the store is, for logs and errors: never the password.
        Database = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        // The store runs a fixed set of statements: let Npgsql prepare the frequent ones on each pooled connection
        // (parsed and planned once), unless the connection string sets another limit above 0.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Host, port and database name of the store, safe to log.</summary>
    public string Database { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int version;
        try
        {
            version = await PostgresMigrations.ApplyAsync(_dataSource, Database, _logger, Now, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL store {Database} cannot be opened: {exception.Message}. Check {PostgresStoreOptions.ConnectionStringKey} " +
                "and that the server is running.", exception);
        }

        _initialized = true;
        Log.StoreReady(_logger, Database, version);
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, "SELECT 1;");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _initialized = false;
        _dataSource.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _initialized = false;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
            throw new InvalidOperationException("The PostgreSQL store is not initialized: call InitializeAsync at start.");
    }

    /// <summary>Runs one or more statements on a pooled connection, outside a transaction (each statement is atomic).</summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
            return await work(connection).ConfigureAwait(false);
    }

    /// <summary>Runs the statements of <paramref name="work"/> in one short transaction; any exception rolls it back.</summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>Runs one statement and returns how many rows it changed.</summary>
    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] values) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, sql, values);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Reads the one row a statement finds, or null when there is none.</summary>
    private Task<T?> FindOneAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken,
        params (string Name, object? Value)[] values)
        where T : class =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, sql, values);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
        }, cancellationToken);

    /// <summary>Reads every row a statement finds.</summary>
    private Task<IReadOnlyList<T>> ReadAllAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken,
        params (string Name, object? Value)[] values) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, sql, values);
            return (IReadOnlyList<T>)await ReadRowsAsync(command, map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static async Task<List<T>> ReadRowsAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(map(reader));
        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> values) =>
        new NpgsqlCommand(sql, connection).Bind(values);

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        params ReadOnlySpan<(string Name, object? Value)> values) =>
        new NpgsqlCommand(sql, connection, transaction).Bind(values);

    private DateTimeOffset Now => _timeProvider.GetUtcNow();
}
