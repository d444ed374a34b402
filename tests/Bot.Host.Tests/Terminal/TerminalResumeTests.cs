using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>Issue 16's "done when": the terminal chat against a Responses server whose stream is cut mid-answer.</summary>
public sealed class TerminalResumeTests : TerminalTestBase
{
    private static readonly string s_answer = string.Join(' ', Enumerable.Range(1, 80).Select(i => $"part{i}")) + ". Done.";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamCutMidAnswer_ThePrintedAnswerIsWhole_AndTheChatExitsZero_HavingResumedWithStartingAfter(bool reset)
    {
        Server.Enqueue(FakeResponse.Stream().Text(s_answer), FakeResponse.Stream().Text("Still here."));
        Server.CutByReset = reset;
        Server.CutStreamsEvery = 30;

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, "tell me everything\nare you there?\n");

        Assert.Equal(0, exitCode);
        Assert.Equal(s_answer + "\nStill here.\n", output);
        Assert.Contains(Server.ResumeRequests, r => r.StartingAfter > 0);
        Assert.Equal(2, Server.ResponseRequests.Count); // each answer asked for once, the first one resumed
        Assert.True(Server.ResponseRequests[0].Background);
    }
}
