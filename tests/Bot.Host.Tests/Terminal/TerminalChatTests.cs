using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Host.Tests.Terminal;

public sealed class TerminalChatTests : TerminalTestBase
{
    [Fact]
    public async Task PipedLines_EachIsAnswered_AndTheProgramExitsZero()
    {
        Server.Enqueue(FakeResponse.Stream().Text("Hello! Nice to meet you."), FakeResponse.Stream().Text("Two."));

        var (exitCode, output) = await ChatAsync("Say hello\nWhat is 1+1?\n");

        Assert.Equal(0, exitCode);
        Assert.Equal("Hello! Nice to meet you.\nTwo.\n", output);
        var conversation = await MappingAsync();
        Assert.Equal(Assert.Single(Server.Ledger.CreatedConversations), conversation?.RemoteConversationId);
    }

    [Fact]
    public async Task TheConversationLastsAcrossRuns_UntilReset()
    {
        await ChatAsync("first run\n");
        await ChatAsync("second run\n");
        var (_, output) = await ChatAsync("/reset\nafter reset\n");

        Assert.StartsWith("Conversation reset.", output, StringComparison.Ordinal);
        var conversations = Server.ResponseRequests.Select(r => r.ConversationId).ToList();
        Assert.Equal(conversations[0], conversations[1]);
        Assert.NotEqual(conversations[1], conversations[2]);
        Assert.Equal([conversations[0]!], Server.Ledger.DeletedConversations);
        Assert.Equal(conversations[2], (await MappingAsync())?.RemoteConversationId);
    }

    [Fact]
    public async Task Attach_SendsTheFile_AndGeneratedFilesAreSavedWithTheirPathPrinted()
    {
        var data = Folder.File("sales.csv");
        await File.WriteAllTextAsync(data, "month,sales\njan,3\nfeb,5\n");
        var chart = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("chart.png", chart).Text("Sales rose from 3 to 5."));

        var (exitCode, output) = await ChatAsync($"/attach {data} plot the sales\n");

        Assert.Equal(0, exitCode);
        var request = Assert.Single(Server.ResponseRequests);
        Assert.Equal("plot the sales\n\n(Attached: sales.csv)", request.UserText);
        Assert.Equal("month,sales\njan,3\nfeb,5\n"u8.ToArray(), Server.Ledger.UploadedFiles.Single().Content.ToArray());
        var saved = Path.Combine(OutputFolder, "chart.png");
        Assert.Equal(chart, await File.ReadAllBytesAsync(saved));
        Assert.Contains($"📎 Saved {saved}", output, StringComparison.Ordinal);
        Assert.StartsWith("Sales rose from 3 to 5.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachOfAMissingFile_SaysSo_AndSendsNothing()
    {
        var (exitCode, output) = await ChatAsync("/attach nowhere.csv hi\n");

        Assert.Equal(0, exitCode);
        Assert.Equal("There is no file nowhere.csv.\n", output);
        Assert.Empty(Server.ResponseRequests);
    }

    [Fact]
    public async Task EmptyInput_ExitsZeroWithoutCallingTheService()
    {
        var (exitCode, _) = await ChatAsync("");

        Assert.Equal(0, exitCode);
        Assert.Empty(Server.RequestLog);
    }

    [Fact]
    public async Task FailingService_PrintsOneSentence_AndTheNextLineIsStillAnswered()
    {
        Server.Enqueue(FakeResponse.Stream().Failed(), FakeResponse.Stream().Text("Back again."));

        var (exitCode, output) = await ChatAsync("one\ntwo\n");

        Assert.Equal(0, exitCode);
        Assert.Equal("⚠️ The assistant ran into an error and couldn't finish this answer. Please try again.\nBack again.\n", output);
    }

    [Fact]
    public async Task AResetWhoseDeletionsFail_IsFinishedByTheHostsSweep_WhileTheChatRuns()
    {
        Server.Enqueue(FakeResponse.Stream().Text("Hi."));
        await ChatAsync("hello\n");
        Assert.Single(Server.Ledger.Orphans);
        Server.FailNext("DELETE", "/conversations", 500);

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, new GatedReader("/reset\n", async () =>
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Server.Ledger.Orphans.Count > 0 && DateTime.UtcNow < deadline)
                    await Task.Delay(20);
            }), null,
            "--OpenAI:MaxRetries", "0",
            "--Conversations:RemoteDeleteRetryDelay", "00:00:00.100");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Conversation reset.", output, StringComparison.Ordinal);
        Assert.Empty(Server.Ledger.Orphans);
        Assert.Equal(2, Server.RequestLog.Count(r => r.StartsWith("DELETE /v1/conversations/", StringComparison.Ordinal)));
    }

    private Task<(int ExitCode, string Output)> ChatAsync(string input) => TerminalRun.ChatAsync(Server, Folder, input);

    private async Task<Bot.Core.Storage.ConversationRecord?> MappingAsync()
    {
        await using var store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = Folder.File("bot.db") }),
            NullLogger<SqliteConversationStore>.Instance, TimeProvider.System);
        await store.InitializeAsync();
        return await store.FindConversationAsync(new ConversationKey("terminal", "local"));
    }
}
