using Bot.Storage.Sqlite;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Conversations;

/// <summary>Two instances on one SQLite file, each with a store (and writer connection) of its own, as two processes would have.</summary>
public sealed class SqliteTwoInstanceTests : TwoInstanceTests<SqliteConversationStore>, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override SqliteConversationStore CreateStore() =>
        new(Options.Create(new SqliteStoreOptions { Path = _folder.File("bot.db") }), NullLogger<SqliteConversationStore>.Instance, TimeProvider.System);

    public void Dispose() => _folder.Dispose();
}
