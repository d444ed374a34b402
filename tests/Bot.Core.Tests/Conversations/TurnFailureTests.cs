using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Microsoft.Data.Sqlite;

namespace Bot.Core.Tests.Conversations;

/// <summary>
/// Failures before the backend starts (issue 11, point 2) end the turn like any other failure: the user gets one
/// sentence where a reply can still be written, and nothing is left Running or Processing in the store.
/// </summary>
public sealed class TurnFailureTests
{
    [Theory]
    [InlineData("conversations")] // resolving the conversation's mapping fails
    [InlineData("turns")]         // recording the turn fails
    public async Task TheStoreFailingBeforeTheBackendStarts_EndsTheTurnWithOneSentence_AndItsMessageIsNotLeftWaiting(string table)
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);
        Execute(bot.DatabasePath, $"CREATE TRIGGER refuse BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");

        var status = await bot.AskAsync(bot.Channel.Message("c1", "hello", "m1"));

        Assert.Equal(TurnStatus.Failed, status);
        Assert.Equal(UserMessages.Unexpected, Assert.Single(bot.Channel.Replies).Text);
        Assert.Empty(backend.Requests);
        Assert.Empty(await bot.Store.GetUnfinishedInboxAsync("test"));
    }

    [Fact]
    public async Task AReplyAddressTheChannelCannotWriteTo_EndsTheTurn_AndLeavesNothingRunning()
    {
        var backend = new ScriptedBackend();
        var channel = new RecordingChannel { RefuseAddress = address => address.StartsWith("bad", StringComparison.Ordinal) };
        await using var bot = await CoreHarness.StartAsync(backend, channel);

        var status = await bot.AskAsync(channel.Message("bad", "hello", "m1"));

        Assert.Equal(TurnStatus.Failed, status);
        Assert.Empty(channel.Replies);
        Assert.Empty(backend.Requests);
        Assert.Empty(await bot.Store.GetUnfinishedInboxAsync("test"));

        // The conversation stays usable.
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(channel.Message("good", "hello", "m2")));
    }

    private static void Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
