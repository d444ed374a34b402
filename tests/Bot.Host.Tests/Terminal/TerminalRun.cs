using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>Runs the terminal chat in-process against the OpenAI fake, with its database and output folder in a temp folder.</summary>
internal static class TerminalRun
{
    /// <summary>Where the run saves generated files.</summary>
    public static string OutputFolder(TempDirectory folder) => Path.Combine(folder.Path, "out");

    /// <summary>Feeds <paramref name="input"/> to the chat and returns its exit code and standard output (newlines as \n).</summary>
    public static Task<(int ExitCode, string Output)> ChatAsync(FakeOpenAIServer server, TempDirectory folder, string input, TextWriter? error = null) =>
        ChatAsync(server, folder, new StringReader(input), error);

    /// <summary>Runs the chat on <paramref name="input"/>, with <paramref name="settings"/> (pairs of --Key value) added.</summary>
    public static async Task<(int ExitCode, string Output)> ChatAsync(FakeOpenAIServer server, TempDirectory folder, TextReader input, TextWriter? error,
        params string[] settings)
    {
        var output = new StringWriter();
        var exitCode = await BotApplication.RunChatAsync(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", server.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Terminal:OutputDirectory", OutputFolder(folder),
            .. settings,
        ], input, output, error ?? new StringWriter()).WaitAsync(TimeSpan.FromSeconds(90));
        return (exitCode, output.ToString().Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
    }
}

/// <summary>Lines for the chat, then, before the end of input, a wait for <paramref name="beforeEnd"/>: the chat keeps running meanwhile.</summary>
internal sealed class GatedReader(string lines, Func<Task> beforeEnd) : TextReader
{
    private readonly StringReader _lines = new(lines);

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (await _lines.ReadLineAsync(cancellationToken) is { } line)
            return line;
        await beforeEnd().WaitAsync(cancellationToken);
        return null;
    }
}
