using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>The terminal as a place: a model chosen with /model is the model the server is asked for, and Places:* is checked at start.</summary>
public sealed class TerminalPlaceTests : TerminalTestBase
{
    [Fact]
    public async Task ModelCommand_ThenAQuestion_TheServerIsAskedForThatModel_WithoutAReset()
    {
        Server.Enqueue(FakeResponse.Stream().Text("Before.").Usage(15, 6), FakeResponse.Stream().Text("After.").Usage(15, 6));

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, new StringReader("one\n/model gpt-other\ntwo\n"), null,
            "--OpenAI:AllowedModels:0", "gpt-other");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Before.", "`Model` is now `gpt-other` here.", "After."], lines);
        Assert.Equal(["gpt-4.1-mini", "gpt-other"], Server.ResponseRequests.Select(r => r.Model));
        Assert.Single(Server.ResponseRequests.Select(r => r.ConversationId).Distinct());
    }

    [Fact]
    public async Task APlacesSettingThatIsNotValid_StopsTheStart_NamingTheKey_AndNothingIsAsked()
    {
        var error = new StringWriter();

        var (exitCode, _) = await TerminalRun.ChatAsync(Server, Folder, new StringReader("one\n"), error,
            "--Places:terminal:Model", "gpt-unvetted", "--Places:Defaults:Tools:Colour", "on");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Places:terminal:Model: `gpt-unvetted` isn't an allowed model.", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Places:Defaults:Tools:Colour: not a setting a place can have", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Server.ResponseRequests);
    }
}
