using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Replies;

namespace Bot.Core.Tests.Replies;

public sealed class ReplyDraftTests
{
    [Fact]
    public void FileCitations_BecomeNumberedMarkersAndFootnotesNamingTheFile()
    {
        var draft = new ReplyDraft();
        draft.Apply(new TextDelta("p", "Travis's favorite food is pizza."));
        draft.Apply(new FileCitation("p", 31, "file-1", "favorite_foods.txt"));
        draft.Apply(new TextDelta("q", "Ada likes tea."));
        draft.Apply(new FileCitation("q", 13, "file-2", "drinks.pdf"));
        draft.Apply(new FileCitation("q", 14, "file-1", "favorite_foods.txt"));

        Assert.Equal(
            "Travis's favorite food is pizza[1].\n\nAda likes tea[2].[1]\n\n[1] favorite_foods.txt\n[2] drinks.pdf",
            draft.Render(final: true));
    }

    [Fact]
    public void Footnotes_AppearOnlyInTheFinalRender()
    {
        var draft = new ReplyDraft();
        draft.Apply(new TextDelta("p", "Pizza."));
        draft.Apply(new FileCitation("p", 5, "file-1", "foods.txt"));

        Assert.Equal("Pizza[1].", draft.Render(final: false));
        Assert.EndsWith("[1] foods.txt", draft.Render(final: true), StringComparison.Ordinal);
    }

    [Fact]
    public void AppendOnlyDraft_ListsSourcesWithoutChangingStreamedText()
    {
        var draft = new ReplyDraft(inlineMarkers: false);
        draft.Apply(new TextDelta("p", "Pizza."));
        draft.Apply(new FileCitation("p", 5, "file-1", "foods.txt"));

        var streamed = draft.Render(final: false);

        Assert.StartsWith(streamed, draft.Render(final: true), StringComparison.Ordinal);
    }

    [Fact]
    public void AFileTooLargeToDownload_IsNamedInANoteOfTheFinalReply_AfterTheAnswer()
    {
        var draft = new ReplyDraft(inlineMarkers: false);
        draft.Apply(new TextDelta("p", "Both files are ready."));
        draft.Apply(new OutputFileReady(new OutputFile("small.csv", "text/csv", new byte[] { 1 }), "cfile_1"));
        draft.Apply(new OutputFileTooLarge("huge.csv", 50L * 1024 * 1024, "cfile_2"));
        draft.Apply(new OutputFileTooLarge("huge.csv", 50L * 1024 * 1024, "cfile_2"));

        Assert.Equal("Both files are ready.", draft.Render(final: false));
        Assert.Equal("Both files are ready.\n\n📎 huge.csv is larger than 50 MB, the most the bot downloads, so it is not attached.",
            draft.Render(final: true));
        Assert.Equal("small.csv", Assert.Single(draft.Files).FileName);
    }

    [Fact]
    public void AFileTooLargeToDownload_WithoutAnyText_IsStillNamed()
    {
        var withoutFiles = new ReplyDraft();
        withoutFiles.Apply(new OutputFileTooLarge("huge.csv", 1024, "cfile_2"));
        var withAFile = new ReplyDraft();
        withAFile.Apply(new OutputFileReady(new OutputFile("chart.png", "image/png", new byte[] { 1 }), "cfile_1"));
        withAFile.Apply(new OutputFileTooLarge("huge.csv", 1024, "cfile_2"));

        Assert.Equal("📎 huge.csv is larger than 1 KB, the most the bot downloads, so it is not attached.", withoutFiles.Render(final: true));
        Assert.Equal("Here is what I made.\n\n📎 huge.csv is larger than 1 KB, the most the bot downloads, so it is not attached.",
            withAFile.Render(final: true));
    }

    [Fact]
    public void ToolActivity_ShowsStatusUntilTextArrives()
    {
        var draft = new ReplyDraft();
        Assert.True(draft.Apply(new ToolActivity(ToolKind.CodeInterpreter, Running: true)));
        Assert.Equal("Running code…", draft.Status);

        draft.Apply(new ToolActivity(ToolKind.FileSearch, Running: true));
        Assert.Equal("Searching files…", draft.Status);

        draft.Apply(new TextDelta("p", "Done"));
        Assert.Null(draft.Status);
    }

    [Fact]
    public void CompletedPart_ReplacesTheTextBuiltFromDeltas()
    {
        var draft = new ReplyDraft();
        draft.Apply(new TextDelta("p", "Helo"));
        Assert.True(draft.Apply(new TextPartCompleted("p", "Hello")));
        Assert.Equal("Hello", draft.Render(final: true));
    }

    [Fact]
    public void SandboxLinks_KeepTheirLabelBecauseTheFileIsAttached()
    {
        var draft = new ReplyDraft();
        draft.Apply(new TextDelta("p", "[Download the chart](sandbox:/mnt/data/chart.png) shows it."));
        draft.Apply(new OutputFileReady(new OutputFile("chart.png", "image/png", new byte[] { 1 }), "cfile_1"));

        Assert.Equal("Download the chart (attached) shows it.", draft.Render(final: true));
    }

    [Fact]
    public void SameOutputFileTwice_IsDeliveredOnce()
    {
        var draft = new ReplyDraft();
        var file = new OutputFile("data.csv", "text/csv", new byte[] { 1, 2 });
        draft.Apply(new OutputFileReady(file, "cfile_1"));
        draft.Apply(new OutputFileReady(file, "cfile_1"));

        Assert.Single(draft.Files);
    }

    [Fact]
    public void NoticesAndEnding_FrameTheAnswer()
    {
        var draft = new ReplyDraft();
        draft.AddNotice("⚠️ I skipped **a.exe**: .exe files are not supported.");
        draft.Apply(new TextDelta("p", "Partial answer"));
        draft.Ending = "⚠️ The answer was interrupted.";

        Assert.Equal("⚠️ I skipped **a.exe**: .exe files are not supported.\n\nPartial answer\n\n⚠️ The answer was interrupted.", draft.Render(final: true));
    }

    [Fact]
    public void EmptyFinalAnswer_SaysSoInsteadOfPostingNothing()
    {
        Assert.False(string.IsNullOrWhiteSpace(new ReplyDraft().Render(final: true)));
    }
}
