using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>The terminal prints the model's text exactly as written; only real citations get a line at the end (issue 11).</summary>
public sealed class StructuredReplyTests : TerminalTestBase
{
    [Fact]
    public async Task ModelReferenceListAndItalicEnding_ArePrintedAsWritten_WithNoFootnotes()
    {
        Server.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding));

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, "what do studies say?\n");

        Assert.Equal(0, exitCode);
        var printed = output[output.IndexOf("Two studies", StringComparison.Ordinal)..].TrimEnd();
        Assert.Equal(ModelText.ReferenceListAndItalicEnding, printed.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ARealFileCitation_IsListedAtTheEnd_AndTheTextStaysAsWritten()
    {
        Server.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.File("file-abc", "q3-report.pdf", ModelText.CitedIndex)));

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, "what do studies say?\n");

        Assert.Equal(0, exitCode);
        var printed = output[output.IndexOf("Two studies", StringComparison.Ordinal)..].TrimEnd();
        Assert.Equal(ModelText.ReferenceListAndItalicEnding + "\n\n[1] q3-report.pdf", printed.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AWebCitation_IsListedAtTheEndWithItsTitleAndUrl()
    {
        Server.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.Url("https://example.com/smith-2020", "Smith, 2020", 0, ModelText.CitedIndex)));

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, "what do studies say?\n");

        Assert.Equal(0, exitCode);
        var printed = output[output.IndexOf("Two studies", StringComparison.Ordinal)..].TrimEnd();
        Assert.Equal(ModelText.ReferenceListAndItalicEnding + "\n\n[1] Smith, 2020 <https://example.com/smith-2020>", printed.ReplaceLineEndings("\n"));
    }
}
