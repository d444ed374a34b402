using System.Diagnostics;
using System.Text;

namespace Bot.Web.Tests.Browser;

/// <summary>
/// Finds a Chromium (or Chrome) for the browser tests: <c>BOT_TEST_CHROMIUM</c> when set, otherwise the usual
/// executables on this machine. When there is none and the machine has apt-get, it installs Debian's
/// <c>chromium</c> package (as root, or with <c>sudo -n</c>), once per machine: parallel test processes, and the
/// test runs of other checkouts on the same machine, take turns on a lock file and the ones that waited find
/// the browser the first one installed. No browser build is ever downloaded from anywhere else.
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

    // apt can take many minutes on a slow mirror; the lock waits for the process that installs.
    private static readonly TimeSpan s_installDeadline = TimeSpan.FromMinutes(30);

    private static string LockPath => Path.Combine(Path.GetTempPath(), "bot-tests-chromium-install.lock");

    /// <summary>The browser's executable, installed first when the machine has none.</summary>
    /// <exception cref="InvalidOperationException">No browser, and it could not be installed; the message says what to install.</exception>
    public static async Task<string> FindOrInstallAsync(Action<string> log, CancellationToken cancellationToken = default)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IsExecutable(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} is set to {configured}, which is not an executable file.");
        }

        if (Find() is { } found)
            return found;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_installDeadline);
        await using (await AcquireLockAsync(log, deadline.Token))
        {
            // Another test process may have installed it while this one waited for the lock.
            if (Find() is { } installed)
                return installed;
            await InstallAsync(log, deadline.Token);
        }

        return Find() ?? throw Missing($"apt-get reported success, but none of {string.Join(", ", s_candidates)} exists afterwards.");
    }

    /// <summary>The first browser executable found, or null.</summary>
    public static string? Find() =>
        s_candidates.Select(c => Path.IsPathRooted(c) ? (IsExecutable(c) ? c : null) : FindOnPath(c)).FirstOrDefault(p => p is not null);

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
            return false;
        if (OperatingSystem.IsWindows())
            return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static async Task InstallAsync(Action<string> log, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || FindOnPath("apt-get") is not { } aptGet)
            throw Missing("this machine has no apt-get.");

        string[] prefix;
        if (Environment.IsPrivilegedProcess)
            prefix = [aptGet];
        else if (FindOnPath("sudo") is { } sudo)
            prefix = [sudo, "-n", aptGet]; // -n: never ask for a password, fail instead
        else
            throw Missing("the tests do not run as root, and there is no sudo to run apt-get with.");

        // Waits for a dpkg lock held by someone else (another install, unattended upgrades) instead of failing at once.
        string[] options = ["-q", "-o", "DPkg::Lock::Timeout=600"];
        log($"No Chromium found; installing Debian's {Package} package with apt-get (once for this machine).");
        await RunAsync([.. prefix, .. options, "update"], cancellationToken);
        await RunAsync([.. prefix, .. options, "install", "-y", Package], cancellationToken);
        log($"Installed Debian's {Package} package.");
    }

    private static async Task RunAsync(string[] command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";

        using var process = Process.Start(start) ?? throw Missing($"{command[0]} could not be started.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = CollectAsync(process.StandardOutput, output);
        var stderr = CollectAsync(process.StandardError, output);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw Missing($"`{string.Join(' ', command)}` did not finish within {s_installDeadline.TotalMinutes:0} minutes.");
        }

        await Task.WhenAll(stdout, stderr);
        if (process.ExitCode != 0)
        {
            string tail;
            lock (output)
                tail = string.Join('\n', output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
            throw Missing($"`{string.Join(' ', command)}` exited with {process.ExitCode}:\n{tail}");
        }
    }

    private static async Task CollectAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
                output.Append(line).Append('\n');
        }
    }

    // A lock file held with an exclusive lock (FileShare.None is an advisory flock on Unix): the kernel releases
    // it when its process ends, so a test run that crashed mid-install never blocks the next one.
    private static async Task<FileStream> AcquireLockAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                if (!told)
                    log($"Another test process is installing Chromium ({LockPath}); waiting for it.");
                told = true;
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Missing($"the lock file {LockPath} cannot be opened: {ex.Message}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw Missing($"another test process held {LockPath} for more than {s_installDeadline.TotalMinutes:0} minutes.");
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/bin").Append("/bin").Select(folder => Path.Combine(folder, name)).FirstOrDefault(IsExecutable);

    private static InvalidOperationException Missing(string reason) => new(
        $"The browser tests need Chromium or Chrome. None was found ({string.Join(", ", s_candidates)}), and installing " +
        $"Debian's {Package} package failed: {reason}\nInstall it (`sudo apt-get install {Package}`) or set {EnvironmentVariable} " +
        "to the path of a Chromium or Chrome executable.");
}
