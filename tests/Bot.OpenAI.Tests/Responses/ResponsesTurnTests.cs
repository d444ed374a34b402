using System.Text.Json;
using Bot.Core.Storage;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;

namespace Bot.OpenAI.Tests.Responses;

public sealed class ResponsesTurnTests
{
    [Fact]
    public async Task StreamedText_BecomesTheReply_OneRemoteConversationPerChat()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hello there, how can I help?"), FakeResponse.Stream().Text("Sure."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal("Hello there, how can I help?", bot.Channel.Replies[0].Text);
        var conversation = Assert.Single(bot.Server.Ledger.CreatedConversations);
        Assert.All(bot.Server.ResponseRequests, r =>
        {
            Assert.Equal(conversation, r.ConversationId);
            Assert.Equal("gpt-test", r.Model);
            Assert.Equal("Be brief.", r.Instructions);
            Assert.True(r.Stream);
        });
        Assert.Equal(["hi", "again"], bot.Server.ResponseRequests.Select(r => r.UserText));
        Assert.Equal(conversation, (await bot.Core.Store.FindConversationAsync(new("test", "c1")))?.RemoteConversationId);
    }

    [Fact]
    public async Task Usage_IsRecordedPerTurn()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Text("one two three four"));

        await bot.AskAsync("c1", "count for me please");

        var turn = await bot.Core.Store.GetTurnAsync(1);
        Assert.Equal(TurnStatus.Completed, turn?.Status);
        Assert.True(turn!.Usage.InputTokens > 0 && turn.Usage.OutputTokens > 0);
        Assert.StartsWith("resp_", Assert.Single(turn.ResponseIds), StringComparison.Ordinal);
        Assert.NotNull(turn.FirstTokenAt);
    }

    [Fact]
    public async Task FunctionCalls_InTwoRounds_AreInvokedAndTheirOutputsSentBack()
    {
        var weather = new DelegateFunctionTool("get_weather", (args, _) =>
            Task.FromResult(JsonSerializer.Serialize(new { city = JsonDocument.Parse(args).RootElement.GetProperty("location").GetString(), temp_c = 21 })));
        await using var bot = await ResponsesHarness.StartAsync([weather]);
        bot.Server.Enqueue(
            FakeResponse.Stream().FunctionCall("get_weather", """{"location":"Paris"}""", "call_1"),
            FakeResponse.Stream().FunctionCall("get_weather", """{"location":"Oslo"}""", "call_2"),
            FakeResponse.Stream().Text("Paris is 21 °C and so is Oslo."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "weather in Paris and Oslo?"));

        Assert.Equal(2, weather.Calls);
        var requests = bot.Server.ResponseRequests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Contains("get_weather", r.FunctionNames));
        Assert.Contains("Paris", requests[1].FunctionCallOutputs["call_1"], StringComparison.Ordinal);
        Assert.Contains("Oslo", requests[2].FunctionCallOutputs["call_2"], StringComparison.Ordinal);
        Assert.Equal("Paris is 21 °C and so is Oslo.", bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task FunctionThatThrows_ItsErrorGoesBackAsOutput_AndTheTurnContinues()
    {
        var broken = new DelegateFunctionTool("lookup", (_, _) => throw new InvalidOperationException("inventory service is down"));
        await using var bot = await ResponsesHarness.StartAsync([broken]);
        bot.Server.Enqueue(FakeResponse.Stream().FunctionCall("lookup", "{}", "call_9"), FakeResponse.Stream().Text("I couldn't check the inventory."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "is it in stock?"));

        Assert.Contains("inventory service is down", bot.Server.ResponseRequests[1].FunctionCallOutputs["call_9"], StringComparison.Ordinal);
        Assert.Equal("I couldn't check the inventory.", bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task FunctionThatHangs_TimesOut_AndTheTurnContinues()
    {
        var slow = new DelegateFunctionTool("slow", async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return ""; });
        await using var bot = await ResponsesHarness.StartAsync([slow], conversations: new() { ToolTimeout = TimeSpan.FromMilliseconds(100) });
        bot.Server.Enqueue(FakeResponse.Stream().FunctionCall("slow", "{}", "call_1"), FakeResponse.Stream().Text("That took too long."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "go"));

        Assert.Contains("did not finish", bot.Server.ResponseRequests[1].FunctionCallOutputs["call_1"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeInterpreterImageAndCsv_AreDownloadedAndAttached_WithProgressShown()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        var csv = "x,y\n1,2\n"u8.ToArray();
        var channel = new RecordingChannel(limits: new(2000, TimeSpan.Zero, 8 * 1024 * 1024));
        await using var bot = await ResponsesHarness.StartAsync(channel: channel);
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream, so progress is visible
        bot.Server.Enqueue(FakeResponse.Stream()
            .Text("Let me plot that.")
            .CodeInterpreterFile("chart.png", png)
            .CodeInterpreterFile("data.csv", csv)
            .Text("Here is the [chart](sandbox:/mnt/data/chart.png) and the data."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "plot y against x"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal(png, reply.Files.Single(f => f.FileName == "chart.png").Content.ToArray());
        Assert.Equal("image/png", reply.Files.Single(f => f.FileName == "chart.png").MediaType);
        Assert.Equal(csv, reply.Files.Single(f => f.FileName == "data.csv").Content.ToArray());
        Assert.Contains(reply.Writes, w => w.Text.Contains("_Running code…_", StringComparison.Ordinal));
        Assert.Equal("Let me plot that.\n\nHere is the chart (attached) and the data.", reply.Text);
        Assert.True(bot.Server.ResponseRequests[0].HasCodeInterpreter);
    }

    [Fact]
    public async Task Documents_GoToAVectorStoreCreatedOnTheFirstOne_AndCitationsBecomeFootnotes()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.VectorStoreFileStatusOnCreate = "in_progress";
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream, so progress is visible
        bot.Channel.AttachmentContents["n"] = "Travis likes pizza."u8.ToArray();
        bot.Channel.AttachmentContents["m"] = "Ada likes tea."u8.ToArray();

        bot.Server.Enqueue(FakeResponse.Stream().Text("Noted."));
        await bot.AskAsync("c1", "read this", attachments: [new("notes.md", "text/markdown", 19, "n")]);
        var fileId = bot.Server.Ledger.UploadedFiles.Single().Id;
        bot.Server.Enqueue(FakeResponse.Stream().FileSearch("Travis food").Text("Travis's favorite food is pizza.", FakeCitation.File(fileId, "notes.md", 31)));
        await bot.AskAsync("c1", "what does Travis like?", attachments: [new("more.md", "text/markdown", 14, "m")]);

        var vectorStore = Assert.Single(bot.Server.Ledger.CreatedVectorStores);
        Assert.Equal(2, bot.Server.Ledger.FilesAddedTo(vectorStore).Count);
        Assert.Equal([vectorStore], bot.Server.ResponseRequests[1].VectorStoreIds);
        var reply = bot.Channel.Replies[1];
        Assert.Equal("Travis's favorite food is pizza[1].\n\n[1] notes.md", reply.Text);
        Assert.Contains(reply.Writes, w => w.Text.Contains("_Searching files…_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataFilesAndImages_GoToTheContainerAndToVision()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Channel.AttachmentContents["csv"] = "a,b\n1,2\n"u8.ToArray();
        bot.Channel.AttachmentContents["img"] = [0x89, 0x50, 0x4E, 0x47];
        bot.Server.Enqueue(FakeResponse.Stream().Text("Got both."));

        await bot.AskAsync("c1", "look", attachments: [new("table.csv", "text/csv", 8, "csv"), new("photo.png", "image/png", 4, "img")]);

        var uploads = bot.Server.Ledger.UploadedFiles;
        var csv = uploads.Single(f => f.Filename == "table.csv");
        var image = uploads.Single(f => f.Filename == "photo.png");
        Assert.Equal(("assistants", "vision"), (csv.Purpose, image.Purpose));
        var request = bot.Server.ResponseRequests.Single();
        Assert.Equal([csv.Id], request.CodeInterpreterFileIds);
        Assert.Equal([image.Id], request.InputImageFileIds);
        Assert.Contains("(Attached: table.csv, photo.png)", request.UserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_DeletesEverythingTheBotCreated_NothingOrphaned()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Channel.AttachmentContents["d"] = "doc"u8.ToArray();
        bot.Channel.AttachmentContents["c"] = "1,2"u8.ToArray();
        bot.Server.Enqueue(FakeResponse.Stream().Text("ok"));
        await bot.AskAsync("c1", "files", attachments: [new("a.pdf", null, 3, "d"), new("b.csv", null, 3, "c")]);
        Assert.Equal(4, bot.Server.Ledger.Orphans.Count); // conversation, two files, vector store

        var result = await bot.Core.Service.ResetAsync(new("test", "c1"));

        Assert.Equal(4, result.DeletedRemoteObjects);
        Assert.Empty(bot.Server.Ledger.Orphans);
        Assert.Empty(await bot.Core.Store.GetRemoteObjectsAsync(1));
    }

    [Fact]
    public async Task TwoMessages10msApart_TheServiceNeverSeesTwoResponsesOnOneConversation()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5);
        bot.Server.Responder = r => FakeResponse.Stream().Text($"Answer to {r.UserText}: " + string.Join(' ', Enumerable.Repeat("word", 30)));

        var first = await bot.Core.Service.AcceptAsync(bot.Channel.Message("c1", "first", "m1"));
        await Task.Delay(10);
        var second = await bot.Core.Service.AcceptAsync(bot.Channel.Message("c1", "second", "m2"));
        await Task.WhenAll(first.Answered, second.Answered).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, bot.Server.ConversationConflicts);
        Assert.Equal(1, bot.Server.MaxConcurrentResponsesPerConversation);
        // Under load the two may be answered as one turn (coalesced, in order); either way, one response at a time.
        Assert.StartsWith("first", bot.Server.ResponseRequests[0].UserText.Replace("Ada: ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("second", bot.Server.ResponseRequests[^1].UserText, StringComparison.Ordinal);
    }
}
