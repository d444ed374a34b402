using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>The text commands at the terminal prompt, piped: /usage, /model and /settings, none of them a turn.</summary>
public sealed class TerminalCommandTests : TerminalTestBase
{
    [Fact]
    public async Task Usage_AfterATurn_PrintsTheTokensUsed_WhatIsLeft_AndTheReset()
    {
        Server.Enqueue(FakeResponse.Stream().Text("Hello back.").Usage(15, 6));

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, new StringReader("hello\n/usage\n"), null,
            "--Budgets:PerUserDailyTokens", "100");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Hello back.", lines[0]);
        Assert.Equal("Your usage:", lines[1]);
        Assert.Matches(@"^• Today: 21 tokens in 1 turn; 79 of 100 left; resets 00:00 UTC \(in [0-9 hmins]+\)$", lines[2]);
        Assert.Equal("• This month: 21 tokens in 1 turn; no limit", lines[3]);
        Assert.Single(Server.ResponseRequests);
    }

    [Fact]
    public async Task Model_AndSettings_AreStoredForTheTerminal_AndShown_WithoutATurn()
    {
        var input = "/model gpt-9\n/model GPT-4.1-MINI\n/settings set Tools.WebSearch maybe\n/settings show\n/settings history\n/settings clear Model\n";

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, new StringReader(input), null);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var user = Environment.UserName;
        Assert.Equal("`gpt-9` isn't an allowed model. Choose one of: gpt-4.1-mini.", lines[0]);
        Assert.Equal("`Model` is now `gpt-4.1-mini` here.", lines[1]);
        Assert.Equal("`Tools.WebSearch` is on or off, not `maybe`.", lines[2]);
        Assert.Equal("Settings at terminal (terminal):", lines[3]);
        Assert.StartsWith($"• Model: `gpt-4.1-mini` (command: set by terminal:{user} on ", lines[4], StringComparison.Ordinal);
        Assert.Contains(lines, l => l == "• Tools.WebSearch: off (default: OpenAI:Tools:WebSearch)");
        var history = Array.IndexOf(lines, "Changes at terminal, newest first:");
        Assert.Matches($@"^• \d{{4}}-\d\d-\d\d \d\d:\d\d UTC Model = `gpt-4.1-mini` by terminal:{System.Text.RegularExpressions.Regex.Escape(user)}$", lines[history + 1]);
        Assert.Equal("`Model` is cleared here; the value from further out applies.", lines[^1]);
        Assert.Empty(Server.ResponseRequests);
    }
}
