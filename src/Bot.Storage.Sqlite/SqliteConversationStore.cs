using Bot.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Sqlite;

/// <summary>Every store port in one SQLite file: WAL, one serialized writer, pooled readers.</summary>
/// <remarks>
/// Every write goes through one connection behind a semaphore, so writers of this process queue in memory
/// instead of meeting SQLITE_BUSY; its commands stay prepared between calls. Reads open pooled connections
/// and, thanks to WAL, never wait for the writer. The busy timeout only matters for another process.
/// </remarks>
public sealed partial class SqliteConversationStore : IConversationStore, IFollowedPlaces, IVisitorSessions, IBotSecrets,
    IProvisionedAssistants, IModerationLog, IAsyncDisposable, IDisposable
{
    private const int BusyTimeoutSeconds = 5;

    // journal_mode is stored in the file; these are per connection. secure_delete = FAST zeroes the space that
    // forgotten message texts leave in a page whenever the page is written anyway, so they do not linger in the file.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = FAST;";

    private const UnixFileMode SharedAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private readonly ILogger<SqliteConversationStore> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates the store; nothing touches the file before <see cref="InitializeAsync"/>.</summary>
    public SqliteConversationStore(IOptions<SqliteStoreOptions> options, ILogger<SqliteConversationStore> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Value.Path);
        _logger = logger;
        _timeProvider = timeProvider;
        DatabasePath = Path.GetFullPath(options.Value.Path);

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = false,
        };
        _writerConnectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = true;
        _readerConnectionString = builder.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= OpenWriter();
            int version;
            try
            {
                version = SqliteMigrations.Apply(_writer, DatabasePath, _logger);
            }
            catch
            {
                CloseWriter();
                throw;
            }

            _initialized = true;
            Log.StoreReady(_logger, DatabasePath, version);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, StoreSql.Ping);
            return command.ExecuteScalar();
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _writeLock.Wait();
        DisposeCore();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await _writeLock.WaitAsync().ConfigureAwait(false);
        DisposeCore();
    }

    // Runs holding the write lock, so no write is in flight.
    private void DisposeCore()
    {
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            _initialized = false;
            CloseWriter();
            using var pooled = new SqliteConnection(_readerConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SqliteConnection OpenWriter()
    {
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
            PrivateFiles.CreateFolder(folder);
        CreateDatabaseFile();

        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = command.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The SQLite database '{DatabasePath}' cannot use WAL journal mode (it reports '{mode}'). " +
                        "Put Storage:Sqlite:Path on a local disk.");
                }
            }

            ApplyConnectionPragmas(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the database file empty (which SQLite takes as a new database) and owner-only, before SQLite would create
    /// it with the process's umask; SQLite then gives its -wal and -shm files the database file's mode. An existing
    /// file is left as it is, with a warning when other users can read it.
    /// </summary>
    private void CreateDatabaseFile()
    {
        try
        {
            using var created = new FileStream(DatabasePath, PrivateFiles.CreateOptions(FileMode.CreateNew));
            return;
        }
        catch (IOException) when (File.Exists(DatabasePath))
        {
            // There already, or another process made it a moment ago.
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(DatabasePath) & SharedAccess) != 0)
            Log.DatabaseShared(_logger, DatabasePath);
    }

    private void CloseWriter()
    {
        foreach (var command in _writerCommands.Values)
            command.Dispose();
        _writerCommands.Clear();
        _writer?.Dispose();
        _writer = null;
    }

    private static void ApplyConnectionPragmas(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        command.ExecuteNonQuery();
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
            throw new InvalidOperationException("The SQLite store is not initialized: call InitializeAsync at start.");
    }

    /// <summary>Runs a write on the single writer connection, in an IMMEDIATE transaction when it has several statements.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction?, T> write, bool inTransaction, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfNotReady();
            if (!inTransaction)
                return write(null);

            using var transaction = _writer!.BeginTransaction(deferred: false);
            var result = write(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// A prepared command of the writer connection with <paramref name="values"/> as its only parameters. Only call inside
    /// <see cref="WriteAsync"/>.
    /// </summary>
    private SqliteCommand WriterCommand(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = _writer!.CreateCommand();
            command.CommandText = sql;
            _writerCommands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command.Bind(values);
    }

    /// <summary>Runs a read on a pooled connection of its own.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        using var connection = new SqliteConnection(_readerConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        ApplyConnectionPragmas(connection);
        return read(connection);
    }

    /// <summary>Reads the one row a key names, or null when there is none.</summary>
    private Task<T?> FindOneAsync<T>(string sql, string parameter, object key, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
        where T : class =>
        ReadAsync(connection =>
        {
            using var command = ReaderCommand(connection, sql, (parameter, key));
            using var reader = command.ExecuteReader();
            return reader.Read() ? map(reader) : null;
        }, cancellationToken);

    private static SqliteCommand ReaderCommand(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.Bind(values);
    }

    private DateTimeOffset Now => _timeProvider.GetUtcNow();
}
