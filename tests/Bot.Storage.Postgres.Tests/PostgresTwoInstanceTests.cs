using Bot.Core.Tests.Conversations;

namespace Bot.Storage.Postgres.Tests;

/// <summary>Two instances on one PostgreSQL database: the core's two-instance tests on the shared store.</summary>
public sealed class PostgresTwoInstanceTests : TwoInstanceTests<PostgresConversationStore>
{
    private readonly PostgresTestDatabase _db = new();

    public override Task InitializeAsync() => _db.CreateAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }

    protected override PostgresConversationStore CreateStore() => _db.CreateStore();
}
