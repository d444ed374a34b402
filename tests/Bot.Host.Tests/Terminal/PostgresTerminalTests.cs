using Bot.Core.Conversations;
using Bot.Storage.Postgres;
using Bot.Testing.OpenAI;
using Bot.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Host.Tests.Terminal;

/// <summary>The whole bot on <c>Storage:Provider=Postgres</c>, against the test process's throwaway PostgreSQL.</summary>
public sealed class PostgresTerminalTests : TerminalTestBase
{
    [Fact]
    public async Task The_terminal_chat_on_PostgreSQL_answers_and_keeps_the_mapping_there_across_runs()
    {
        var cluster = await ThrowawayPostgres.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        var connectionString = cluster.ConnectionString(database);
        Server.Enqueue(FakeResponse.Stream().Text("Hello from the fake."), FakeResponse.Stream().Text("Still here."));
        try
        {
            var first = await ChatAsync(connectionString, "Say hello\n");
            var second = await ChatAsync(connectionString, "And again\n");

            Assert.Equal((0, "Hello from the fake.\n"), first);
            Assert.Equal((0, "Still here.\n"), second);
            var conversations = Server.ResponseRequests.Select(r => r.ConversationId).ToList();
            Assert.Equal(conversations[0], conversations[1]);
            await using var store = new PostgresConversationStore(
                Options.Create(new PostgresStoreOptions { ConnectionString = connectionString }),
                NullLogger<PostgresConversationStore>.Instance, TimeProvider.System);
            await store.InitializeAsync();
            var mapping = await store.FindConversationAsync(new ConversationKey("terminal", "local"));
            Assert.Equal(Assert.Single(Server.Ledger.CreatedConversations), mapping?.RemoteConversationId);
            Assert.False(File.Exists(Folder.File("bot.db")), "the SQLite file must not be created when PostgreSQL is selected");
        }
        finally
        {
            await cluster.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_does_not_start_and_names_the_key()
    {
        var error = new StringWriter();

        var (exitCode, _) = await TerminalRun.ChatAsync(Server, Folder, new StringReader("hello\n"), error, "--Storage:Provider", "Postgres");

        Assert.Equal(2, exitCode);
        Assert.Contains("Storage:Postgres:ConnectionString", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Server.ResponseRequests);
    }

    [Fact]
    public async Task Postgres_that_does_not_answer_stops_the_start_naming_the_key_without_the_password()
    {
        var error = new StringWriter();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TerminalRun.ChatAsync(Server, Folder, new StringReader("hello\n"), error,
            "--Storage:Provider", "postgres",
            "--Storage:Postgres:ConnectionString", "Host=127.0.0.1;Port=1;Username=bot;Password=hunter2;Timeout=3"));

        Assert.Contains("Storage:Postgres:ConnectionString", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.ToString() + error, StringComparison.Ordinal);
        Assert.Empty(Server.ResponseRequests);
    }

    private Task<(int ExitCode, string Output)> ChatAsync(string connectionString, string input) =>
        TerminalRun.ChatAsync(Server, Folder, new StringReader(input), null,
            "--Storage:Provider", "Postgres", "--Storage:Postgres:ConnectionString", connectionString);
}
