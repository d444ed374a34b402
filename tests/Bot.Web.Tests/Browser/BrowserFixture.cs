using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bot.Web.Tests.Browser;

/// <summary>
/// A headless Chromium driven by Playwright's own driver (from its NuGet package). The browser is the machine's:
/// <see cref="ChromiumLocator"/> finds it, or installs Debian's chromium package once; no browser is downloaded.
/// If none can be had, every browser test fails with the reason and what to install.
/// </summary>
public sealed class BrowserFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _executable;
    private Exception? _startFailure;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(
        _executable is null
            ? _startFailure?.Message
            : $"Headless Chromium could not be started from {_executable}: {_startFailure?.Message}", _startFailure);

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(60_000);
        try
        {
            _executable = await ChromiumLocator.FindOrInstallAsync(line => diagnostics.OnMessage(new DiagnosticMessage(line)));
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _executable,
                Headless = true,
                Timeout = 120_000,
                Args =
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
        }
        catch (Exception ex)
        {
            _startFailure = ex;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
