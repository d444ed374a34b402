using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>A terminal test's own OpenAI fake and temp folder (database, output folder), both gone afterwards.</summary>
public abstract class TerminalTestBase : IAsyncLifetime
{
    private protected TempDirectory Folder { get; } = new();

    private protected FakeOpenAIServer Server { get; private set; } = null!;

    private protected string OutputFolder => TerminalRun.OutputFolder(Folder);

    public async Task InitializeAsync() => Server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
