using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using Microsoft.Data.Sqlite;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>The inbox keeps what people wrote only until their messages are finished with.</summary>
public sealed class InboxRetentionTests
{
    [Fact]
    public async Task AnAnsweredMessage_KeepsItsIdsAndTimes_ButNotWhatItSaid()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);
        bot.Channel.AttachmentContents["doc"] = "private notes"u8.ToArray();

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "my secret plan", "m1", "Grace",
            attachments: [new("plan.md", "text/markdown", 13, "doc")])));

        Assert.Equal([("m1", "grace", "", "", "[]", "Answered")], Inbox(bot));
        Assert.Equal(AcceptStatus.Duplicate, (await bot.Service.AcceptAsync(bot.Channel.Message("c1", "my secret plan", "m1"))).Status);
    }

    [Fact]
    public async Task AFailedTurn_ForgetsItsMessages()
    {
        var backend = new ScriptedBackend { Script = (_, _) => Failing(new InvalidOperationException("boom")) };
        await using var bot = await CoreHarness.StartAsync(backend);

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", "will fail", "m1")));

        Assert.Equal([("m1", "ada", "", "", "[]", "Failed")], Inbox(bot));
    }

    [Fact]
    public async Task AReset_ForgetsTheStoppedTurnsMessagesAndTheQueuedOnes()
    {
        var backend = new ScriptedBackend { Script = (r, ct) => r.Text == "long" ? StartsThenHangs(ct) : ScriptedBackend.Stream("ok", cancellationToken: ct) };
        await using var bot = await CoreHarness.StartAsync(backend);
        var running = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "long", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        var queued = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "queued secret", "m2"));

        await bot.Service.ResetAsync(new ConversationKey("test", "c1"));
        await Task.WhenAll(running.Answered, queued.Answered).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("m1", "ada", "", "", "[]", "Cancelled"), ("m2", "ada", "", "", "[]", "Cancelled")], Inbox(bot));
    }

    [Fact]
    public async Task AResetWhoseCallerIsAlreadyGone_StillDropsAndForgetsTheQueuedMessages_AndArchives()
    {
        var backend = new ScriptedBackend { Script = (r, ct) => r.Text == "long" ? StartsThenHangs(ct) : ScriptedBackend.Stream("ok", cancellationToken: ct) };
        await using var bot = await CoreHarness.StartAsync(backend);
        var running = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "long", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        var queued = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "queued secret", "m2"));
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bot.Service.ResetAsync(new ConversationKey("test", "c1"), gone.Token));
        await Task.WhenAll(running.Answered, queued.Answered).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(await bot.Store.GetUnfinishedInboxAsync("test"));
        Assert.Equal([("m1", "ada", "", "", "[]", "Cancelled"), ("m2", "ada", "", "", "[]", "Cancelled")], Inbox(bot));
        // The archive runs in the lane once the stopped turn has ended; a second reset queues behind it and finds nothing left.
        Assert.False((await bot.Service.ResetAsync(new ConversationKey("test", "c1"))).HadConversation);
    }

    private static List<(string MessageId, string AuthorId, string Text, string AuthorName, string Attachments, string Status)> Inbox(CoreHarness bot)
    {
        using var connection = new SqliteConnection($"Data Source={bot.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, author_id, text, author_name, attachments, status FROM inbox ORDER BY id;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, string, string, string, string)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        return rows;
    }
}
