using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>Issue 13's done-when for budgets, through the real host, the Responses backend and the OpenAI fake.</summary>
public sealed class TerminalBudgetTests : TerminalTestBase
{
    [Fact]
    public async Task WithADailyBudgetOf30_ThreeMessagesAt21TokensEach_GiveTwoAnswersAndOneRefusal_AndTheServerSeesTwoResponses()
    {
        Server.Enqueue(
            FakeResponse.Stream().Text("First answer.").Usage(15, 6),
            FakeResponse.Stream().Text("Second answer.").Usage(15, 6),
            FakeResponse.Stream().Text("Never sent.").Usage(15, 6));

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, new StringReader("one\ntwo\nthree\n"), null,
            "--Budgets:PerUserDailyTokens", "30");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("First answer.", lines[0]);
        Assert.Equal("Second answer.", lines[1]);
        Assert.Matches(@"^You've used your daily budget of 30 tokens; it resets at 00:00 UTC \(in [0-9 hmins]+\)\.$", lines[2]);
        Assert.Equal(2, Server.ResponseRequests.Count);
    }
}
