using System.Text.Json;
using Bot.Core.Storage;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>The core's end-to-end answers, run for both backends: text, function rounds, generated files, citations.</summary>
public sealed class BackendTurnScenarios
{
    public static TheoryData<string> Backends => new() { ApiKinds.Responses, ApiKinds.Assistants };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task StreamedText_BecomesTheReply_OneRemoteConversationPerChat(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hello there, how can I help?"), FakeResponse.Stream().Text("Sure."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "again"));

        Assert.Equal("Hello there, how can I help?", bot.Channel.Replies[0].Text);
        Assert.Equal("Sure.", bot.Channel.Replies[1].Text);
        var remote = Assert.Single(bot.RemoteConversations);
        Assert.Equal(["hi", "again"], bot.Requests.Select(r => r.UserText));
        Assert.All(bot.Requests, r => Assert.Equal((remote, "gpt-test", "Be brief.", true), (r.ConversationId, r.Model, r.Instructions, r.Stream)));
        Assert.Equal(remote, (await bot.Core.Store.FindConversationAsync(new("test", "c1")))?.RemoteConversationId);
        var turn = await bot.Core.Store.GetTurnAsync(1);
        Assert.True(turn!.Usage.InputTokens > 0 && turn.Usage.OutputTokens > 0, "usage is recorded");
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task FunctionCalls_InTwoRounds_AreInvokedAndTheirOutputsSentBack(string api)
    {
        var weather = new DelegateFunctionTool("get_weather", (args, _) =>
            Task.FromResult(JsonSerializer.Serialize(new { city = JsonDocument.Parse(args).RootElement.GetProperty("location").GetString(), temp_c = 21 })));
        await using var bot = await BackendHarness.StartAsync(api, [weather]);
        bot.Server.Enqueue(
            FakeResponse.Stream().FunctionCall("get_weather", """{"location":"Paris"}""", "call_1"),
            FakeResponse.Stream().FunctionCall("get_weather", """{"location":"Oslo"}""", "call_2"),
            FakeResponse.Stream().Text("Paris is 21 °C and so is Oslo."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "weather in Paris and Oslo?"));

        Assert.Equal(2, weather.Calls);
        var requests = bot.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Contains("get_weather", r.FunctionNames));
        Assert.Contains("Paris", requests[1].FunctionCallOutputs["call_1"], StringComparison.Ordinal);
        Assert.Contains("Oslo", requests[2].FunctionCallOutputs["call_2"], StringComparison.Ordinal);
        Assert.Equal("Paris is 21 °C and so is Oslo.", bot.Channel.Replies.Single().Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task CodeInterpreterImageAndCsv_AreDownloadedAndAttached_WithProgressShown(string api)
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        var csv = "x,y\n1,2\n"u8.ToArray();
        await using var bot = await BackendHarness.StartAsync(api, channel: new RecordingChannel(limits: new(2000, TimeSpan.Zero, 8 * 1024 * 1024)));
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
        Assert.True(bot.Requests[0].HasCodeInterpreter);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Documents_AreSearched_AndCitationsBecomeFootnotesNamingTheFile(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream, so progress is visible
        bot.Channel.AttachmentContents["n"] = "Travis likes pizza."u8.ToArray();
        bot.Channel.AttachmentContents["m"] = "Ada likes tea."u8.ToArray();

        bot.Server.Enqueue(FakeResponse.Stream().Text("Noted."));
        await bot.AskAsync("c1", "read this", attachments: [new("notes.md", "text/markdown", 19, "n")]);
        var fileId = bot.Server.Ledger.UploadedFiles.Single().Id;
        bot.Server.Enqueue(FakeResponse.Stream().FileSearch("Travis food").Text("Travis's favorite food is pizza.", FakeCitation.File(fileId, "notes.md", 31)));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "what does Travis like?", attachments: [new("more.md", "text/markdown", 14, "m")]));

        var vectorStore = Assert.Single(bot.Server.Ledger.CreatedVectorStores);
        Assert.Equal(2, bot.Server.Ledger.FilesAddedTo(vectorStore).Count);
        Assert.Equal([vectorStore], bot.Requests[1].VectorStoreIds);
        var reply = bot.Channel.Replies[1];
        Assert.Equal("Travis's favorite food is pizza[1].\n\n[1] notes.md", reply.Text);
        Assert.Contains(reply.Writes, w => w.Text.Contains("_Searching files…_", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task DataFilesAndImages_GoToTheCodeInterpreterAndToVision(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Channel.AttachmentContents["csv"] = "a,b\n1,2\n"u8.ToArray();
        bot.Channel.AttachmentContents["img"] = [0x89, 0x50, 0x4E, 0x47];
        bot.Server.Enqueue(FakeResponse.Stream().Text("Got both."));

        await bot.AskAsync("c1", "look", attachments: [new("table.csv", "text/csv", 8, "csv"), new("photo.png", "image/png", 4, "img")]);

        var uploads = bot.Server.Ledger.UploadedFiles;
        var csv = uploads.Single(f => f.Filename == "table.csv");
        var image = uploads.Single(f => f.Filename == "photo.png");
        Assert.Equal(("assistants", "vision"), (csv.Purpose, image.Purpose));
        var request = bot.Requests.Single();
        Assert.Equal([csv.Id], request.CodeInterpreterFileIds);
        Assert.Equal([image.Id], request.InputImageFileIds);
        Assert.Contains("(Attached: table.csv, photo.png)", request.UserText, StringComparison.Ordinal);
        Assert.Equal("Got both.", bot.Channel.Replies.Single().Text);
    }
}
