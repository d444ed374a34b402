using Microsoft.Playwright;

namespace Bot.Web.Tests.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs where it is missing) driven by
/// Playwright's own driver; no browser is downloaded. If it cannot start, every browser test fails with the reason.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Exception? _startFailure;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(
        $"Headless Chromium could not be started from {ChromiumPath} (install Debian's chromium package: apt-get install -y chromium). " +
        _startFailure?.Message, _startFailure);

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(60_000);
        try
        {
            if (!File.Exists(ChromiumPath))
                throw new FileNotFoundException($"{ChromiumPath} does not exist.");
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
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
