using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Testing;
using Bot.Testing.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Storage.Postgres.Tests;

/// <summary>A fresh database on the throwaway cluster, dropped on dispose; the PostgreSQL twin of the SQLite TempDatabase.</summary>
internal sealed partial class PostgresTestDatabase : IAsyncDisposable
{
    private readonly List<PostgresConversationStore> _stores = [];
    private ThrowawayPostgres? _cluster;
    private string? _name;

    public ListLogger<PostgresConversationStore> Logger { get; } = new();

    /// <summary>The connection string of this test's database.</summary>
    public string ConnectionString => _cluster!.ConnectionString(_name!);

    public ThrowawayPostgres Cluster => _cluster!;

    public async Task CreateAsync()
    {
        _cluster = await ThrowawayPostgres.GetAsync();
        _name = await _cluster.CreateDatabaseAsync();
    }

    /// <summary>A store on this database, not initialized; disposed with the database.</summary>
    public PostgresConversationStore CreateStore(TimeProvider? timeProvider = null)
    {
        var store = new PostgresConversationStore(
            Options.Create(new PostgresStoreOptions { ConnectionString = ConnectionString }), Logger, timeProvider ?? TimeProvider.System);
        _stores.Add(store);
        return store;
    }

    /// <summary>A store on this database, initialized: what the bot has after start (or after a restart).</summary>
    public async Task<PostgresConversationStore> OpenStoreAsync(TimeProvider? timeProvider = null)
    {
        var store = CreateStore(timeProvider);
        await store.InitializeAsync();
        return store;
    }

    public NpgsqlConnection OpenRawConnection()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs a query of the shared suite, written with SQLite's <c>$name</c> parameters, and returns its first value.</summary>
    public T? Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenRawConnection();
        using var command = new NpgsqlCommand(DollarParameter().Replace(sql, "@$1"), connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name.TrimStart('$'), value);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The columns of a table, in order.</summary>
    public IReadOnlyList<string> ColumnNames(string table)
    {
        using var connection = OpenRawConnection();
        using var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table ORDER BY ordinal_position;",
            connection);
        command.Parameters.AddWithValue("table", table);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        if (_cluster is not null && _name is not null)
            await _cluster.DropDatabaseAsync(_name);
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex DollarParameter();
}
