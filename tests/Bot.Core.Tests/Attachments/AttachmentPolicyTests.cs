using Bot.Core.Attachments;
using Bot.Core.Conversations;

namespace Bot.Core.Tests.Attachments;

public sealed class AttachmentPolicyTests
{
    private readonly AttachmentPolicy _policy = new(new AttachmentOptions { MaxFileBytes = 1000, MaxImageBytes = 500, MaxFilesPerMessage = 3 }, true, true);

    [Theory]
    [InlineData("data.csv", AttachmentTarget.CodeInterpreter)]
    [InlineData("Sheet.XLSX", AttachmentTarget.CodeInterpreter)]
    [InlineData("dump.json", AttachmentTarget.CodeInterpreter)]
    [InlineData("archive.zip", AttachmentTarget.CodeInterpreter)]
    [InlineData("report.pdf", AttachmentTarget.FileSearch)]
    [InlineData("notes.md", AttachmentTarget.FileSearch)]
    [InlineData("Program.cs", AttachmentTarget.FileSearch)]
    [InlineData("slides.pptx", AttachmentTarget.FileSearch)]
    [InlineData("photo.JPG", AttachmentTarget.Vision)]
    [InlineData("anim.gif", AttachmentTarget.Vision)]
    [InlineData("pic.webp", AttachmentTarget.Vision)]
    public void KnownTypes_GoToTheirTool(string name, AttachmentTarget expected)
    {
        var decision = _policy.Decide(new IncomingAttachment(name, null, 100, "x"));
        Assert.Equal(expected, decision.Target);
    }

    [Theory]
    [InlineData("setup.exe", ".exe files are not supported")]
    [InlineData("README", "files without an extension are not supported")]
    public void UnsupportedFiles_AreRefusedWithTheReason(string name, string reason)
    {
        var decision = _policy.Decide(new IncomingAttachment(name, null, 100, "x"));
        Assert.False(decision.Accepted);
        Assert.Equal(reason, decision.Refusal);
    }

    [Fact]
    public void EmptyFile_IsRefused()
    {
        Assert.Equal("the file is empty", _policy.Decide(new IncomingAttachment("a.csv", null, 0, "x")).Refusal);
    }

    [Fact]
    public void OversizedFiles_AreRefusedWithSizeAndLimit_ImagesHaveTheirOwnLimit()
    {
        Assert.Equal("it is 1.2 KB, over the 1000 bytes limit", _policy.Decide(new IncomingAttachment("a.pdf", null, 1200, "x")).Refusal);
        Assert.False(_policy.Decide(new IncomingAttachment("a.png", null, 600, "x")).Accepted);
        Assert.True(_policy.Decide(new IncomingAttachment("a.pdf", null, 600, "x")).Accepted);
    }

    [Fact]
    public void DocumentsFallBackToTheCodeInterpreter_WhenFileSearchIsOff()
    {
        var policy = new AttachmentPolicy(new AttachmentOptions(), codeInterpreterEnabled: true, fileSearchEnabled: false);
        Assert.Equal(AttachmentTarget.CodeInterpreter, policy.Decide(new IncomingAttachment("a.pdf", null, 10, "x")).Target);
    }

    [Fact]
    public void DataFiles_AreRefused_WhenTheCodeInterpreterIsOff()
    {
        var policy = new AttachmentPolicy(new AttachmentOptions(), codeInterpreterEnabled: false, fileSearchEnabled: true);
        Assert.Equal("the tool that reads this kind of file is switched off", policy.Decide(new IncomingAttachment("a.csv", null, 10, "x")).Refusal);
    }

    [Fact]
    public void FilesBeyondThePerMessageLimit_AreRefused()
    {
        var decisions = _policy.Decide([.. Enumerable.Range(0, 5).Select(i => new IncomingAttachment($"{i}.csv", null, 10, "x"))]);
        Assert.Equal(3, decisions.Count(d => d.Accepted));
        Assert.All(decisions.Skip(3), d => Assert.Equal("only 3 files are read per message", d.Refusal));
    }
}
