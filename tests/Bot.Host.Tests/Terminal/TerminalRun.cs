using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>Runs the terminal chat in-process against the OpenAI fake, with its database and output folder in a temp folder.</summary>
internal static class TerminalRun
{
    /// <summary>Where the run saves generated files.</summary>
    public static string OutputFolder(TempDirectory folder) => Path.Combine(folder.Path, "out");

    /// <summary>Feeds <paramref name="input"/> to the chat and returns its exit code and standard output (newlines as \n).</summary>
    public static async Task<(int ExitCode, string Output)> ChatAsync(FakeOpenAIServer server, TempDirectory folder, string input, TextWriter? error = null)
    {
        var output = new StringWriter();
        var exitCode = await BotApplication.RunChatAsync(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", server.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Terminal:OutputDirectory", OutputFolder(folder),
        ], new StringReader(input), output, error ?? new StringWriter()).WaitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, output.ToString().Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
    }
}
