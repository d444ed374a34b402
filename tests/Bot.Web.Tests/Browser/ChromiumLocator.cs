using Bot.Testing;

namespace Bot.Web.Tests.Browser;

/// <summary>
/// Finds a Chromium (or Chrome) for the browser tests: <c>BOT_TEST_CHROMIUM</c> when set, otherwise the usual
/// executables on this machine. When there is none and the machine has apt-get, it installs Debian's
/// <c>chromium</c> package through <see cref="DebianPackage"/> (once per machine, under a lock file). No browser build
/// is ever downloaded from anywhere else.
/// </summary>
internal static class ChromiumLocator
{
    public const string EnvironmentVariable = "BOT_TEST_CHROMIUM";

    private const string Package = "chromium";

    private static readonly string[] s_candidates =
    [
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
        "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
    ];

    /// <summary>The browser's executable, installed first when the machine has none.</summary>
    /// <exception cref="InvalidOperationException">No browser, and it could not be installed; the message says what to install.</exception>
    public static async Task<string> FindOrInstallAsync(Action<string> log, CancellationToken cancellationToken = default)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return CommandRunner.IsExecutable(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} is set to {configured}, which is not an executable file.");
        }

        try
        {
            return await DebianPackage.FindOrInstallAsync(Package, Find, log, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw Missing(ex.Message);
        }
    }

    /// <summary>The first browser executable found, or null.</summary>
    public static string? Find() =>
        s_candidates.Select(c => Path.IsPathRooted(c) ? (CommandRunner.IsExecutable(c) ? c : null) : CommandRunner.FindOnPath(c))
            .FirstOrDefault(p => p is not null);

    private static InvalidOperationException Missing(string reason) => new(
        $"The browser tests need Chromium or Chrome. None was found ({string.Join(", ", s_candidates)}), and installing " +
        $"Debian's {Package} package failed: {reason}\nInstall it (`sudo apt-get install {Package}`) or set {EnvironmentVariable} " +
        "to the path of a Chromium or Chrome executable.");
}
