using System.Net;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Web.Tests;

/// <summary>A loopback OpenAI fake, a temporary data folder and the bot's server on top; restartable on the same folder.</summary>
internal sealed class TestBed : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly IPAddress? _remoteAddress;

    private TestBed(FakeOpenAIServer openAI, IReadOnlyDictionary<string, string?>? settings, IPAddress? remoteAddress)
    {
        OpenAI = openAI;
        _settings = settings;
        _remoteAddress = remoteAddress;
    }

    public FakeOpenAIServer OpenAI { get; }

    public WebChatHost Host { get; private set; } = null!;

    public string DataPath => _directory.Path;

    public static async Task<TestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, IPAddress? remoteAddress = null)
    {
        var bed = new TestBed(await FakeOpenAIServer.StartAsync(), settings, remoteAddress);
        bed.Host = await WebChatHost.StartAsync(bed.OpenAI, bed._directory.Path, settings, remoteAddress);
        return bed;
    }

    /// <summary>Stops the bot and starts a new instance on the same SQLite file and data folder.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = await WebChatHost.StartAsync(OpenAI, _directory.Path, _settings, _remoteAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await OpenAI.DisposeAsync();
        _directory.Dispose();
    }
}
