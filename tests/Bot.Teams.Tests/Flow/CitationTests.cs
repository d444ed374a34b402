using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// Citations come from the reply's structure, never from its text (issue 11): model text that looks like a footnote
/// list, or like a status line, is delivered as written with no citation entity; a real file citation still becomes one;
/// the tool status still shows as informative updates.
/// </summary>
public sealed class CitationTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("[١] report.pdf")]
    [InlineData("[99999999999] report.pdf")]
    [InlineData("[1] notes.txt\n[2] report.pdf")]
    public async Task FootnoteLookalikes_InModelText_AreDeliveredUnchanged(string footnotes)
    {
        var text = "Here is the answer.\n\n" + footnotes;
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text(text));

        var final = await AskAsync("cite something");

        Assert.True(final.Succeeded);
        Assert.Equal(text, final.Text);
        Assert.Empty(final.OtherEntities);
    }

    [Fact]
    public async Task ModelReferenceListAndItalicEnding_ArriveExactlyAsWritten_WithNoCitationEntity_AndTheStatusIsInformative()
    {
        // A search long enough for its status to be shown (ten token intervals on the fake).
        _bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(300)).FileSearch("studies")
            .Text(ModelText.ReferenceListAndItalicEnding));
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "what do studies say?");

        await _bot.AskAsync(activity);

        var requests = _bot.Teams.Requests.Where(r => r.ConversationId == Activities.ConversationId(activity)).ToList();
        var final = Assert.Single(requests, r => r.StreamType == "final");
        Assert.Equal(ModelText.ReferenceListAndItalicEnding, final.Text);
        Assert.Empty(final.OtherEntities);
        Assert.Equal(["Thinking…", "Searching files…"], requests.Where(r => r.StreamType == "informative").Select(r => r.Text));
        Assert.All(requests.Where(r => r.StreamType == "streaming"),
            r => Assert.StartsWith(r.Text!, ModelText.ReferenceListAndItalicEnding, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARealFileCitation_InTheSameAnswer_IsTheOnlyCitationEntity()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.File("file-abc", "q3-report.pdf", ModelText.CitedIndex)));

        var final = await AskAsync("what do studies say?");

        Assert.Equal(ModelText.ReferenceListAndItalicEnding.Insert(ModelText.CitedIndex, "[1]"), final.Text);
        var claim = Assert.Single(Assert.Single(final.OtherEntities)["citation"]!.AsArray())!;
        Assert.Equal((1, "q3-report.pdf"), (claim["position"]!.GetValue<int>(), claim["appearance"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AWebCitation_IsACitationEntityWithTheTitleAndUrl()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.Url("https://example.com/smith-2020", "Smith, 2020", 0, ModelText.CitedIndex)));

        var final = await AskAsync("what do studies say?");

        Assert.Equal(ModelText.ReferenceListAndItalicEnding.Insert(ModelText.CitedIndex, "[1]"), final.Text);
        var claim = Assert.Single(Assert.Single(final.OtherEntities)["citation"]!.AsArray())!;
        Assert.Equal((1, "Smith, 2020", "https://example.com/smith-2020"),
            (claim["position"]!.GetValue<int>(), claim["appearance"]!["name"]!.GetValue<string>(), claim["appearance"]!["url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task InAChannel_TheSameAnswerIsUnchanged()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding));
        var activity = _bot.Fixture("channel_message_at_mention.json");
        var conversation = Activities.ConversationId(activity);

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Text == ModelText.ReferenceListAndItalicEnding));

        Assert.All(_bot.Teams.Requests.Where(r => r.ConversationId == conversation && r.Type == "message"), r => Assert.Empty(r.OtherEntities));
    }

    private async Task<ConnectorRequest> AskAsync(string text)
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, text);
        await _bot.AskAsync(activity);
        return _bot.Teams.Requests.Single(r => r.ConversationId == Activities.ConversationId(activity) && r.StreamType == "final");
    }
}
