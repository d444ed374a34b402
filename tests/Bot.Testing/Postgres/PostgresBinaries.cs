using System.Globalization;

namespace Bot.Testing.Postgres;

/// <summary>
/// Finds PostgreSQL's server programs (initdb, pg_ctl, postgres): <c>BOT_TEST_POSTGRES_BIN</c> when set, then
/// <c>pg_config --bindir</c>, then initdb on PATH, then the highest /usr/lib/postgresql/*/bin. When there are none,
/// installs Debian's <c>postgresql</c> package (<see cref="DebianPackage"/>, once per machine).
/// </summary>
public static class PostgresBinaries
{
    public const string EnvironmentVariable = "BOT_TEST_POSTGRES_BIN";

    private const string Package = "postgresql";

    /// <summary>The folder that holds initdb and pg_ctl, installed first when the machine has none.</summary>
    /// <exception cref="InvalidOperationException">None, and the package could not be installed; the message says what to do.</exception>
    public static async Task<string> FindOrInstallAsync(Action<string> log, CancellationToken cancellationToken = default)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} is set to {configured}, which holds no initdb and pg_ctl.");
        }

        try
        {
            return await DebianPackage.FindOrInstallAsync(Package, Find, log, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need PostgreSQL's server programs (initdb, pg_ctl). None were found, and installing Debian's " +
                $"{Package} package failed: {ex.Message}\nInstall it (`sudo apt-get install {Package}`) or set {EnvironmentVariable} " +
                "to the folder that holds initdb and pg_ctl.", ex);
        }
    }

    /// <summary>The first folder with initdb and pg_ctl, or null.</summary>
    public static string? Find()
    {
        if (PgConfigBinDir() is { } fromPgConfig && HasServer(fromPgConfig))
            return fromPgConfig;
        if (CommandRunner.FindOnPath("initdb") is { } initdb && Path.GetDirectoryName(initdb) is { } onPath && HasServer(onPath))
            return onPath;
        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
            return null;
        return Directory.EnumerateDirectories(debianRoot)
            .Select(folder => (Version: decimal.TryParse(Path.GetFileName(folder), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1,
                Bin: Path.Combine(folder, "bin")))
            .Where(c => c.Version >= 0 && HasServer(c.Bin))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Bin)
            .FirstOrDefault();
    }

    private static bool HasServer(string folder) =>
        CommandRunner.IsExecutable(Path.Combine(folder, "initdb")) && CommandRunner.IsExecutable(Path.Combine(folder, "pg_ctl"));

    // pg_config may come from libpq-dev alone, without a server: the caller checks the folder.
    private static string? PgConfigBinDir()
    {
        if (CommandRunner.FindOnPath("pg_config") is not { } pgConfig)
            return null;
        try
        {
            var output = CommandRunner.RunAsync([pgConfig, "--bindir"], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            return output.Trim() is { Length: > 0 } folder ? folder : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
