using System.Net;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Microsoft.AspNetCore.Builder;

namespace Bot.Web.Tests;

/// <summary>A loopback OpenAI fake, a temporary data folder and the bot's server on top; restartable on the same folder.</summary>
internal sealed class TestBed : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly IPAddress? _remoteAddress;
    private readonly Action<WebApplication>? _configure;

    private TestBed(FakeOpenAIServer openAI, IReadOnlyDictionary<string, string?>? settings, IPAddress? remoteAddress, Action<WebApplication>? configure)
    {
        OpenAI = openAI;
        _settings = settings;
        _remoteAddress = remoteAddress;
        _configure = configure;
    }

    public FakeOpenAIServer OpenAI { get; }

    public WebChatHost Host { get; private set; } = null!;

    public string DataPath => _directory.Path;

    public static async Task<TestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, IPAddress? remoteAddress = null,
        Action<WebApplication>? configure = null)
    {
        var bed = new TestBed(await FakeOpenAIServer.StartAsync(), settings, remoteAddress, configure);
        bed.Host = await WebChatHost.StartAsync(bed.OpenAI, bed._directory.Path, settings, remoteAddress, configure);
        return bed;
    }

    /// <summary>Stops the bot and starts a new instance on the same SQLite file and data folder (with other settings when given).</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        await Host.DisposeAsync();
        Host = await WebChatHost.StartAsync(OpenAI, _directory.Path, settings ?? _settings, _remoteAddress, _configure);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after a generous deadline (the machine may be busy).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
                Assert.Fail($"Still waiting for {what} after {seconds} s.");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await OpenAI.DisposeAsync();
        _directory.Dispose();
    }
}
