using Bot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>A database path in a temp folder of its own that does not exist yet; the folder is deleted on dispose.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly List<SqliteConversationStore> _stores = [];

    public TempDatabase()
    {
        Root = Path.Combine(Path.GetTempPath(), "bot-sqlite-tests", Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Root, "data", "bot.db");
    }

    public string Root { get; }

    public string DatabasePath { get; }

    public ListLogger<SqliteConversationStore> Logger { get; } = new();

    /// <summary>A store on this file, not initialized; disposed with the database.</summary>
    public SqliteConversationStore CreateStore(TimeProvider? timeProvider = null)
    {
        var store = new SqliteConversationStore(
            Options.Create(new SqliteStoreOptions { Path = DatabasePath }), Logger, timeProvider ?? TimeProvider.System);
        _stores.Add(store);
        return store;
    }

    /// <summary>A store on this file, initialized: what the bot has after start (or after a restart).</summary>
    public async Task<SqliteConversationStore> OpenStoreAsync(TimeProvider? timeProvider = null)
    {
        var store = CreateStore(timeProvider);
        await store.InitializeAsync();
        return store;
    }

    /// <summary>A plain connection to look at the file behind the store's back.</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public T? Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The columns of a table, in order.</summary>
    public IReadOnlyList<string> ColumnNames(string table)
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid;";
        command.Parameters.AddWithValue("$table", table);
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
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
