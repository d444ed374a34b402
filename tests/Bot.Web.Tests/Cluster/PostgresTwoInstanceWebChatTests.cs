using Bot.Testing.Postgres;

namespace Bot.Web.Tests.Cluster;

/// <summary>Two instances on one PostgreSQL database (a throwaway cluster): events and wake-ups also by LISTEN/NOTIFY.</summary>
public sealed class PostgresTwoInstanceWebChatTests : TwoInstanceWebChatTests
{
    private ThrowawayPostgres? _cluster;
    private string? _database;

    protected override async Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync()
    {
        _cluster = await ThrowawayPostgres.GetAsync();
        _database = await _cluster.CreateDatabaseAsync();
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _cluster.ConnectionString(_database),
        };
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_cluster is not null && _database is not null)
            await _cluster.DropDatabaseAsync(_database);
    }
}
