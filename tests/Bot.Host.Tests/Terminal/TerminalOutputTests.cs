using System.Text;
using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Host.Terminal;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>What the model says and names reaches the terminal and the disk only in a harmless form.</summary>
public sealed class TerminalOutputTests : TerminalTestBase
{
    [Fact]
    public async Task GeneratedFilesWithHostileNames_AreEachSaved_UnderSafeUniqueNamesKeepingTheirExtension()
    {
        var longStem = string.Concat(Enumerable.Repeat("é", 200)); // 400 bytes in UTF-8
        Server.Enqueue(FakeResponse.Stream()
            .CodeInterpreterFile(".", "dot"u8.ToArray())
            .CodeInterpreterFile("..", "dotdot"u8.ToArray())
            .CodeInterpreterFile(longStem + ".csv", "long"u8.ToArray())
            .CodeInterpreterFile("../../escape.txt", "escape"u8.ToArray())
            .CodeInterpreterFile("re\u001b[31mport\u0007.csv", "controls"u8.ToArray())
            .CodeInterpreterFile("report.csv", "plain"u8.ToArray())
            .Text("Six files."));

        var (exitCode, output, _) = await ChatAsync("make files\n");

        Assert.Equal(0, exitCode);
        var saved = Directory.GetFiles(OutputFolder).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
        Assert.Equal(6, saved.Count);
        Assert.Equal("dot", saved["file"]);
        Assert.Equal("dotdot", saved["file-2"]);
        Assert.Equal("escape", saved["escape.txt"]);
        Assert.Equal("controls", saved["report.csv"]);
        Assert.Equal("plain", saved["report-2.csv"]);
        var longName = Assert.Single(saved.Keys, name => name.StartsWith('é'));
        Assert.EndsWith(".csv", longName, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(longName), 200, 255);
        Assert.Equal("long", saved[longName]);
        Assert.Equal([OutputFolder], Directory.GetDirectories(Folder.Path));
        Assert.False(File.Exists(Path.Combine(Folder.Path, "escape.txt")));
        foreach (var name in saved.Keys)
            Assert.Contains($"📎 Saved {Path.Combine(OutputFolder, name)}", output, StringComparison.Ordinal);
        AssertNoControls(output);
    }

    [Fact]
    public async Task FilesThatCannotBeSaved_AreEachReportedOnTheirOwnLine_AndTheChatGoesOn()
    {
        // A file where the output folder should be: nothing can be saved there, on any platform.
        await File.WriteAllTextAsync(OutputFolder, "in the way");
        Server.Enqueue(
            FakeResponse.Stream().CodeInterpreterFile("first.csv", "1"u8.ToArray()).CodeInterpreterFile("second.csv", "2"u8.ToArray()).Text("Two files."),
            FakeResponse.Stream().Text("Still here."));

        var (exitCode, output, _) = await ChatAsync("make files\nare you there?\n");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n');
        Assert.Equal("Two files.", lines[0]);
        Assert.StartsWith("⚠️ Could not save first.csv", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("⚠️ Could not save second.csv", lines[2], StringComparison.Ordinal);
        Assert.Contains("Still here.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("couldn't upload", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscapeSequencesAndControlCharacters_InTheModelsText_NeverReachTheTerminal()
    {
        Server.Enqueue(FakeResponse.Stream().Text(
            "Hello \u001b[31mred\u001b[0m \u001b]0;pwned\u0007world\u0007!\r\n\u009b2JTabs\tand\u0000 lines\u001b]8;;https://x.test\u001b\\ stay\u001b(B.\u007f"));

        var (exitCode, output, _) = await ChatAsync("say something\n");

        Assert.Equal(0, exitCode);
        Assert.Equal("Hello red world!\nTabs\tand lines stay.\n", output);
    }

    [Fact]
    public async Task ToolStatusOnStandardError_AndAReplyGrowingThroughAnEscapeSequence_AreClean()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var writer = new TerminalChannel(new TerminalConsole(TextReader.Null, output, error), new TerminalOptions { OutputDirectory = OutputFolder }).CreateReplyWriter("local");

        // The status names a function the model chose; tool calls pass too quickly to be caught end to end.
        await writer.ShowStatusAsync(new ToolStatus(ToolKind.Function, "look\u001b[2J\u0007up"));
        var id = (await writer.PostAsync(Message("Red: \u001b[3"))).MessageId!;
        await writer.EditAsync(id, Message("Red: \u001b[31mon\u001b[0"));
        await writer.EditAsync(id, Message("Red: \u001b[31mon\u001b[0m, off."));

        Assert.Equal("… Calling lookup…" + Environment.NewLine, error.ToString());
        Assert.Equal("Red: on, off.", output.ToString());
    }

    [Fact]
    public async Task TheOutputFolderAndSavedFiles_AreTheOwnersAlone()
    {
        if (OperatingSystem.IsWindows())
            return; // Windows files take their folder's access list
        Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("data.csv", "x"u8.ToArray()).Text("Saved."));

        await ChatAsync("make a file\n");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(OutputFolder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(OutputFolder, "data.csv")));
    }

    private static void AssertNoControls(string text) =>
        Assert.DoesNotContain(text, c => c is '\u001b' or '\u0007' or '\u009b' or '\u0000' or '\r');

    private async Task<(int ExitCode, string Output, string Errors)> ChatAsync(string input, StringWriter? error = null)
    {
        error ??= new StringWriter();
        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, input, error);
        return (exitCode, output, error.ToString());
    }

    private static ReplyMessage Message(string text) => new(text, 0, ReplySnapshot.Empty);
}
