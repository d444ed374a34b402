using Bot.Core.Backends;
using Bot.Core.Replies;

namespace Bot.Core.Tests.Replies;

/// <summary>The wording of the remote-tool statuses, and a server label that cannot break the italic status line.</summary>
public sealed class ToolStatusTests
{
    [Fact]
    public void AnMcpCall_NamesItsServer_AndAnApprovalSaysItWaits()
    {
        Assert.Equal("Using github…", new ToolStatus(ToolKind.Mcp, "github").Text);
        Assert.Equal("Using a remote tool…", new ToolStatus(ToolKind.Mcp).Text);
        Assert.Equal("Waiting for approval…", new ToolStatus(ToolKind.Approval).Text);
    }

    [Fact]
    public void MarkdownInTheLabel_IsEscapedInTheItalicStatusLine()
    {
        var snapshot = ReplySnapshot.Empty with { Status = new ToolStatus(ToolKind.Mcp, "my_server*x`") };

        var presentation = ReplyMarkdown.Editable(snapshot, ReplyMarkdown.PlainSource);

        Assert.Equal("_Using my\\_server\\*x\\`…_", presentation.Trailer);
    }
}
