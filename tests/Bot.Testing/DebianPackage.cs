namespace Bot.Testing;

/// <summary>
/// Installs a Debian package that tests need (Chromium, PostgreSQL) when the machine lacks it: as root, or with
/// <c>sudo -n</c>, once per machine. Parallel test processes, and the test runs of other checkouts on the same machine,
/// take turns on a lock file per package, and the ones that waited find what the first one installed.
/// </summary>
public static class DebianPackage
{
    // apt can take many minutes on a slow mirror; the lock waits for the process that installs.
    private static readonly TimeSpan s_installDeadline = TimeSpan.FromMinutes(30);

    /// <summary>
    /// What <paramref name="find"/> finds; when it finds nothing, installs <paramref name="package"/> with apt-get and
    /// looks again.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not found and not installable; the message says why.</exception>
    public static async Task<T> FindOrInstallAsync<T>(string package, Func<T?> find, Action<string> log, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(package);
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(log);
        if (find() is { } found)
            return found;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_installDeadline);
        await using (await AcquireLockAsync(package, log, deadline.Token))
        {
            // Another test process may have installed it while this one waited for the lock.
            if (find() is { } installed)
                return installed;
            await InstallAsync(package, log, deadline.Token);
        }

        return find() ?? throw new InvalidOperationException($"apt-get reported success, but the {package} package's files are not there afterwards.");
    }

    private static async Task InstallAsync(string package, Action<string> log, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || CommandRunner.FindOnPath("apt-get") is not { } aptGet)
            throw new InvalidOperationException("this machine has no apt-get.");

        string[] prefix;
        if (Environment.IsPrivilegedProcess)
            prefix = [aptGet];
        else if (CommandRunner.FindOnPath("sudo") is { } sudo)
            prefix = [sudo, "-n", aptGet]; // -n: never ask for a password, fail instead
        else
            throw new InvalidOperationException("the tests do not run as root, and there is no sudo to run apt-get with.");

        // Waits for a dpkg lock held by someone else (another install, unattended upgrades) instead of failing at once.
        string[] options = ["-q", "-o", "DPkg::Lock::Timeout=600"];
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        log($"Installing Debian's {package} package with apt-get (once for this machine).");
        await CommandRunner.RunAsync([.. prefix, .. options, "update"], s_installDeadline, environment: environment, cancellationToken: cancellationToken);
        await CommandRunner.RunAsync([.. prefix, .. options, "install", "-y", package], s_installDeadline, environment: environment,
            cancellationToken: cancellationToken);
        log($"Installed Debian's {package} package.");
    }

    // A lock file held with an exclusive lock (FileShare.None is an advisory flock on Unix): the kernel releases
    // it when its process ends, so a test run that crashed mid-install never blocks the next one.
    private static async Task<FileStream> AcquireLockAsync(string package, Action<string> log, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(Path.GetTempPath(), $"bot-tests-{package}-install.lock");
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                if (!told)
                    log($"Another test process is installing {package} ({lockPath}); waiting for it.");
                told = true;
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new InvalidOperationException($"the lock file {lockPath} cannot be opened: {ex.Message}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException($"another test process held {lockPath} for more than {s_installDeadline.TotalMinutes:0} minutes.");
            }
        }
    }
}
