using System.Text.Json.Nodes;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>Files in personal chat, pasted images, generated images, citations, long answers (teams.md §4).</summary>
public sealed class FileTests : IAsyncLifetime
{
    private static readonly byte[] s_png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task UploadedFile_IsDownloadedWithoutTheBotToken_AndRoutedToTheCodeInterpreter()
    {
        var url = _bot.Teams.AddFile("sales.csv", "month,total\njan,3\nfeb,5\n"u8.ToArray());
        var attachment = Fixture("attachment_file_download_info_docs.json");
        attachment["content"]!["downloadUrl"] = url.AbsoluteUri;
        attachment["name"] = "sales.csv";

        await AskAsync("sum it up", attachment);

        var download = Assert.Single(_bot.Teams.Downloads);
        Assert.Equal(("/files/sales.csv", false, 200), download);
        Assert.Contains(_bot.OpenAI.Ledger.UploadedFiles, f => f.Filename == "sales.csv");
        Assert.NotEmpty(Assert.Single(_bot.OpenAI.ResponseRequests).CodeInterpreterFileIds);
    }

    [Fact]
    public async Task PastedImage_IsFetchedWithTheBotToken_AndSentAsVision()
    {
        var attachment = Fixture("attachment_inline_image_docs.json");
        attachment["contentUrl"] = _bot.Teams.AddInlineImage("0-cus-d7-e0ee4ec513aecf2e64124d1b11de2878", s_png).AbsoluteUri;

        await AskAsync("what is this?", attachment);

        Assert.Equal(("/amer/v3/attachments/0-cus-d7-e0ee4ec513aecf2e64124d1b11de2878/views/original", true, 200), Assert.Single(_bot.Teams.Downloads));
        Assert.NotEmpty(Assert.Single(_bot.OpenAI.ResponseRequests).InputImageFileIds);
    }

    [Fact]
    public async Task FileFromAHostNotAllowed_IsSkippedWithANotice_AndTheQuestionStillAnswered()
    {
        var attachment = Fixture("attachment_file_download_info_docs.json");
        attachment["content"]!["downloadUrl"] = "https://files.evil.example.com/report.pdf";
        attachment["name"] = "report.pdf";

        var final = await AskAsync("read this", attachment);

        Assert.Contains("I skipped **report.pdf**", final.Text, StringComparison.Ordinal);
        Assert.Contains("You said: read this", final.Text, StringComparison.Ordinal);
        Assert.Empty(_bot.Teams.Downloads);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RedirectedDownload_IsFollowedOnlyToAnAllowedHost(bool allowedTarget)
    {
        var file = _bot.Teams.AddFile("notes.txt", "meeting notes"u8.ToArray());
        var target = allowedTarget ? file : new Uri("https://files.evil.example.com/notes.txt");
        var attachment = Fixture("attachment_file_download_info_docs.json");
        attachment["content"]!["downloadUrl"] = _bot.Teams.RedirectTo(target).AbsoluteUri;
        attachment["name"] = "notes.txt";

        var final = await AskAsync("summarise", attachment);

        Assert.Equal(allowedTarget, _bot.OpenAI.Ledger.UploadedFiles.Any(f => f.Filename == "notes.txt"));
        Assert.Equal(!allowedTarget, final.Text!.Contains("I skipped **notes.txt**", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GeneratedImage_ComesBackInlineInTheFinalMessage()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Here is the chart.").CodeInterpreterFile("chart.png", s_png));

        var final = await AskAsync("plot it");

        var image = Assert.Single(final.Attachments);
        Assert.Equal("image/png", image["contentType"]!.GetValue<string>());
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(s_png), image["contentUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Citations_BecomeATeamsCitationEntity_InsteadOfFootnotes()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Revenue grew 12%.", FakeCitation.File("file-abc", "q3-report.pdf", 17)));

        var final = await AskAsync("how did we do?");

        Assert.Equal("Revenue grew 12%.[1]", final.Text);
        var citation = Assert.Single(Assert.Single(final.OtherEntities)["citation"]!.AsArray());
        Assert.Equal(1, citation!["position"]!.GetValue<int>());
        Assert.Equal("q3-report.pdf", citation["appearance"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task LongAnswer_IsSplitAtTheTeamsSizeLimit()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:MaxMessageCharacters"] = "1000" });
        var paragraph = string.Concat(Enumerable.Repeat("All work and no play makes a long answer. ", 20)).Trim();
        var answer = string.Join("\n\n", Enumerable.Repeat(paragraph, 3));
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text(answer));
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "write a lot");
        var conversation = Activities.ConversationId(activity);

        await bot.SendAsync(activity);
        await bot.Teams.WaitUntilAsync(r => r.Count(x => x.ConversationId == conversation && x.Type == "message") >= 3);

        var messages = bot.Teams.Requests.Where(r => r.ConversationId == conversation && r.Type == "message" && r.Method == "POST").ToList();
        Assert.All(messages, m => Assert.True(m.Text!.Length <= 1000));
        Assert.Equal(answer.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal),
            string.Concat(messages.Select(m => m.Text)).Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));
    }

    private static JsonObject Fixture(string name) => JsonNode.Parse(File.ReadAllText(Bot.Testing.Fixtures.Path("teams", name)))!.AsObject();

    private async Task<ConnectorRequest> AskAsync(string text, params JsonObject[] attachments)
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, text);
        activity["attachments"] = new JsonArray([.. attachments]);
        var conversation = Activities.ConversationId(activity);
        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));
        return _bot.Teams.Requests.Single(x => x.ConversationId == conversation && x.StreamType == "final");
    }
}
