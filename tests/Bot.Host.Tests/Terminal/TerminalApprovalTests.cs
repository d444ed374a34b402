using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>
/// Approvals on the terminal (issue 12, point 4): the question is printed with its arguments made safe, and the next input
/// line answers it; anything but y or n asks again once, then counts as no.
/// </summary>
public sealed class TerminalApprovalTests : TerminalTestBase
{
    private const string Arguments = "{\"title\":\"Crash \u001b[31mred\u001b[0m\"}";

    [Theory]
    [InlineData("y\n", true)]
    [InlineData("YES\n", true)]
    [InlineData("n\n", false)]
    [InlineData("maybe\ny\n", true)]
    [InlineData("maybe\nperhaps\n", false)]
    public async Task TheNextLine_AnswersTheQuestion(string answer, bool approved)
    {
        Server.Enqueue(FakeResponse.Stream().McpCall("github", "create_issue", Arguments, "Created #12").Text("Filed as #12."));

        var (exitCode, output) = await ChatAsync("file a bug\n" + answer);

        Assert.Equal(0, exitCode);
        Assert.Contains("❓ Allow github to run create_issue?\n   {\"title\":\"Crash red\"}\n   Approve? [y/n] ", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
        Assert.Equal(answer.StartsWith("maybe", StringComparison.Ordinal), output.Contains("Please answer y (yes) or n (no): ", StringComparison.Ordinal));
        Assert.Contains(approved ? "   Approved.\n" : "   Denied.\n", output, StringComparison.Ordinal);
        Assert.EndsWith((approved ? "Filed as #12." : FakeResponse.DeniedText("github", "create_issue")) + "\n", output, StringComparison.Ordinal);
        Assert.Equal(approved, Assert.Single(Server.ResponseRequests[1].McpApprovalResponses).Approve);
        Assert.Equal(2, Server.ResponseRequests.Count); // the answer was not sent to the assistant as a message
    }

    private Task<(int ExitCode, string Output)> ChatAsync(string input) =>
        TerminalRun.ChatAsync(Server, Folder, new StringReader(input), null,
            "--OpenAI:Mcp:Servers:0:Label", "github", "--OpenAI:Mcp:Servers:0:Url", "https://mcp.example/github");
}
