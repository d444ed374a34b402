using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Replies;

namespace Bot.Core.Tests.Replies;

/// <summary>The reply state folds events into structure; <see cref="ReplyMarkdown"/> lays it out the usual way.</summary>
public sealed class ReplyStateTests
{
    private readonly ReplyState _state = new();

    [Fact]
    public void FileCitations_AreNumberedSources_WithMarkersAtTheirPositions()
    {
        _state.Apply(new TextDelta("p", "Travis's favorite food is pizza."));
        _state.Apply(new FileCitation("p", 31, "file-1", "favorite_foods.txt", "Travis: pizza"));
        _state.Apply(new TextDelta("q", "Ada likes tea."));
        _state.Apply(new FileCitation("q", 13, "file-2", "drinks.pdf"));
        _state.Apply(new FileCitation("q", 14, "file-1", "favorite_foods.txt"));
        _state.Finish(ReplyEnding.Completed);

        var snapshot = _state.Snapshot();
        Assert.Equal(
            [new ReplyCitation(1, CitationKind.File, "favorite_foods.txt", FileId: "file-1", Quote: "Travis: pizza"),
             new ReplyCitation(2, CitationKind.File, "drinks.pdf", FileId: "file-2")],
            snapshot.Citations);
        Assert.Equal("Travis's favorite food is pizza.", snapshot.Parts[0].Text);
        Assert.Equal(
            "Travis's favorite food is pizza[1].\n\nAda likes tea[2].[1]\n\n[1] favorite_foods.txt\n[2] drinks.pdf",
            ReplyMarkdown.Editable(snapshot, ReplyMarkdown.PlainSource).Body);
    }

    [Fact]
    public void UrlCitations_AreSourcesToo_AndTheSameSourceKeepsItsNumber()
    {
        _state.Apply(new TextDelta("p", "See the docs and the docs again."));
        _state.Apply(new UrlCitation("p", 12, "https://example.com/docs", "Docs"));
        _state.Apply(new UrlCitation("p", 31, "https://example.com/docs", "Docs"));
        _state.Apply(new UrlCitation("p", 31, "https://example.com/other"));

        var citations = _state.Snapshot().Citations;
        Assert.Equal([(1, "Docs"), (2, "https://example.com/other")], citations.Select(c => (c.Number, c.Title)));
        Assert.All(citations, c => Assert.Equal(CitationKind.Url, c.Kind));
        Assert.Equal("[Docs](<https://example.com/docs>)", ReplyMarkdown.LinkedSource(citations[0], suppressPreview: true));
    }

    [Fact]
    public void ModelWrittenReferenceListAndItalicLastLine_AreTheModelsText_NotCitationsOrStatus()
    {
        const string answer = "As shown before [1].\n\n[1] Smith, 2020\n[2] Jones, 2021\n\n_To be continued…_";
        _state.Apply(new TextDelta("p", answer));
        _state.Finish(ReplyEnding.Completed);

        var snapshot = _state.Snapshot();
        Assert.Empty(snapshot.Citations);
        Assert.Null(snapshot.Status);
        Assert.Equal(answer, ReplyMarkdown.Editable(snapshot, ReplyMarkdown.PlainSource).Body);
    }

    [Fact]
    public void Footnotes_AppearOnlyInTheFinalState()
    {
        _state.Apply(new TextDelta("p", "Pizza."));
        _state.Apply(new FileCitation("p", 5, "file-1", "foods.txt"));

        Assert.Equal("Pizza[1].", ReplyMarkdown.Editable(_state.Snapshot(), ReplyMarkdown.PlainSource).Body);
        _state.Finish(ReplyEnding.Completed);
        Assert.EndsWith("[1] foods.txt", ReplyMarkdown.Editable(_state.Snapshot(), ReplyMarkdown.PlainSource).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutInlineMarkers_TheFinalTextStartsWithTheLiveText()
    {
        _state.Apply(new TextDelta("p", "Pizza."));
        _state.Apply(new FileCitation("p", 5, "file-1", "foods.txt"));
        var live = ReplyMarkdown.Body(_state.Snapshot(), inlineMarkers: false).ToString();
        _state.Finish(ReplyEnding.Completed);

        var final = ReplyMarkdown.AppendFootnotes(ReplyMarkdown.Body(_state.Snapshot(), inlineMarkers: false), _state.Snapshot().Citations,
            ReplyMarkdown.PlainSource).ToString();

        Assert.Equal("Pizza.\n\n[1] foods.txt", final);
        Assert.StartsWith(live, final, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileTooLargeToDownload_IsNamedInANoteOfTheFinalState_AfterTheAnswer()
    {
        _state.Apply(new TextDelta("p", "Both files are ready."));
        _state.Apply(new OutputFileReady(new OutputFile("small.csv", "text/csv", new byte[] { 1 }), "cfile_1"));
        _state.Apply(new OutputFileTooLarge("huge.csv", 50L * 1024 * 1024, "cfile_2"));
        _state.Apply(new OutputFileTooLarge("huge.csv", 50L * 1024 * 1024, "cfile_2"));

        Assert.Empty(_state.Snapshot().FileNotes);
        _state.Finish(ReplyEnding.Completed);
        var final = _state.Snapshot();
        Assert.Equal("Both files are ready.\n\n📎 huge.csv is larger than 50 MB, the most the bot downloads, so it is not attached.",
            ReplyMarkdown.Body(final, inlineMarkers: true).ToString());
        Assert.Equal("small.csv", Assert.Single(final.Files).FileName);
    }

    [Fact]
    public void AnEmptyFinalAnswer_SaysSo_OrPointsAtTheFiles()
    {
        _state.Finish(ReplyEnding.Completed);
        var withAFile = new ReplyState();
        withAFile.Apply(new OutputFileReady(new OutputFile("chart.png", "image/png", new byte[] { 1 }), "cfile_1"));
        withAFile.Finish(ReplyEnding.Completed);

        Assert.Equal("(The assistant finished without an answer.)", ReplyMarkdown.Body(_state.Snapshot(), true).ToString());
        Assert.Equal("Here is what I made.", ReplyMarkdown.Body(withAFile.Snapshot(), true).ToString());
    }

    [Fact]
    public void ToolActivity_IsACoreStatus_UntilTextArrives()
    {
        Assert.True(_state.Apply(new ToolActivity(ToolKind.CodeInterpreter, Running: true)));
        Assert.Equal(new ToolStatus(ToolKind.CodeInterpreter), _state.Snapshot().Status);
        Assert.False(_state.Apply(new ToolActivity(ToolKind.CodeInterpreter, Running: true)));

        _state.Apply(new ToolActivity(ToolKind.Function, Running: true, "lookup"));
        Assert.Equal("Calling lookup…", _state.Snapshot().Status!.Text);

        _state.Apply(new TextDelta("p", "Done"));
        Assert.Null(_state.Snapshot().Status);
    }

    [Fact]
    public void FailedWebSearch_IsOneNoticeAboveTheAnswer_HoweverOftenReported()
    {
        _state.Apply(new ToolActivity(ToolKind.WebSearch, Running: true));
        Assert.Equal("Searching the web…", _state.Snapshot().Status!.Text);

        Assert.True(_state.Apply(new ToolFailed(ToolKind.WebSearch)));
        Assert.False(_state.Apply(new ToolFailed(ToolKind.WebSearch)));
        _state.Apply(new TextDelta("p", "Answer."));

        Assert.Equal("⚠️ The web search failed, so this answer does not draw on it.\n\nAnswer.", ReplyMarkdown.Body(_state.Snapshot(), true).ToString());
    }

    [Fact]
    public void CompletedPart_ReplacesTheTextBuiltFromDeltas()
    {
        _state.Apply(new TextDelta("p", "Helo"));
        Assert.True(_state.Apply(new TextPartCompleted("p", "Hello")));
        Assert.False(_state.Apply(new TextPartCompleted("p", "Hello")));
        Assert.Equal("Hello", Assert.Single(_state.Snapshot().Parts).Text);
    }

    [Fact]
    public void SameOutputFileTwice_IsDeliveredOnce()
    {
        var file = new OutputFile("data.csv", "text/csv", new byte[] { 1, 2 });
        _state.Apply(new OutputFileReady(file, "cfile_1"));
        _state.Apply(new OutputFileReady(file, "cfile_1"));

        Assert.Single(_state.Snapshot().Files);
    }

    [Fact]
    public void NoticesAndEnding_FrameTheAnswer_AndTheFirstEndingCounts()
    {
        _state.AddNotice("⚠️ I skipped **a.exe**: .exe files are not supported.");
        _state.Apply(new TextDelta("p", "Partial answer"));
        _state.Finish(new ReplyEnding(ReplyEndingKind.Failed, "⚠️ The answer was interrupted."));
        _state.Finish(ReplyEnding.Completed);

        Assert.Equal(ReplyEndingKind.Failed, _state.Ending!.Kind);
        Assert.Equal("⚠️ I skipped **a.exe**: .exe files are not supported.\n\nPartial answer\n\n⚠️ The answer was interrupted.",
            ReplyMarkdown.Body(_state.Snapshot(), true).ToString());
    }

    [Fact]
    public void Snapshots_AreImmutable_AndTheSameUntilSomethingChanges()
    {
        _state.Apply(new TextDelta("p", "One"));
        var first = _state.Snapshot();
        Assert.Same(first, _state.Snapshot());

        _state.Apply(new TextDelta("p", " two"));

        Assert.Equal("One", first.Parts[0].Text);
        Assert.Equal("One two", _state.Snapshot().Parts[0].Text);
        Assert.False(first.IsFinal);
    }

    [Fact]
    public async Task ConcurrentEventsAndSnapshots_NeverSeeAHalfAppliedState()
    {
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
                _state.Apply(new TextDelta("p", "x"));
        });
        var lengths = new List<int>();
        while (!writer.IsCompleted)
            lengths.Add(_state.Snapshot().Parts.FirstOrDefault()?.Text.Length ?? 0);
        await writer;

        Assert.Equal(lengths.Order(), lengths);
        Assert.Equal(20_000, _state.Snapshot().Parts[0].Text.Length);
    }
}
