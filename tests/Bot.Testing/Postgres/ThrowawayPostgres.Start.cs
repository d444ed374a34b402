using System.Diagnostics;
using System.Globalization;

namespace Bot.Testing.Postgres;

public sealed partial class ThrowawayPostgres
{
    private const string OwnerFile = "owner.pid";

    private static string ClustersFolder => Path.Combine(Path.GetTempPath(), "bot-tests-postgres");

    /// <summary>Starts a new cluster (finding or installing PostgreSQL first); it stops when the process exits.</summary>
    public static async Task<ThrowawayPostgres> StartAsync(Action<string> log)
    {
        var binaries = await PostgresBinaries.FindOrInstallAsync(log);
        var runAs = Environment.IsPrivilegedProcess ? UnprivilegedPrefix() : [];
        RemoveAbandonedClusters(binaries, runAs);

        Directory.CreateDirectory(ClustersFolder);
        var root = Path.Combine(ClustersFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (runAs.Length > 0)
            await CommandRunner.RunAsync(["chown", "-R", UnprivilegedUser, root], s_commandTimeout);

        var cluster = new ThrowawayPostgres(root, binaries, runAs, LoopbackHost.FreePort());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        await cluster.RunAsync([Path.Combine(binaries, "initdb"), "-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync"]);

        // Another process may take the port between FreePort and the server's bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cluster.StartServerAsync();
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                cluster = new ThrowawayPostgres(root, binaries, runAs, LoopbackHost.FreePort());
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
            }
        }
    }

    private Task StartServerAsync()
    {
        var socketFolder = Root;
        var options = string.Join(' ',
            "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", socketFolder, "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
            "-c", "shared_buffers=32MB");
        return RunAsync([Path.Combine(_binaries, "pg_ctl"), "start", "-D", DataDirectory, "-l", Path.Combine(Root, "server.log"),
            "-w", "-t", "60", "-o", options]);
    }

    // runuser (util-linux, root only) or setpriv; both keep the environment and need no password.
    private static string[] UnprivilegedPrefix()
    {
        if (CommandRunner.FindOnPath("runuser") is { } runuser)
            return [runuser, "-u", UnprivilegedUser, "--"];
        if (CommandRunner.FindOnPath("setpriv") is { } setpriv)
            return [setpriv, "--reuid", UnprivilegedUser, "--regid", "nogroup", "--clear-groups", "--"];
        throw new InvalidOperationException(
            "The tests run as root and PostgreSQL refuses to: neither runuser nor setpriv is there to run it as " + UnprivilegedUser + ".");
    }

    // A test process that was killed never ran its exit handler: stop the servers of clusters whose owner is gone.
    private static void RemoveAbandonedClusters(string binaries, string[] runAs)
    {
        if (!Directory.Exists(ClustersFolder))
            return;
        foreach (var folder in Directory.EnumerateDirectories(ClustersFolder))
        {
            if (!int.TryParse(ReadOwner(folder), NumberStyles.Integer, CultureInfo.InvariantCulture, out var owner))
            {
                // No owner: a cluster being created this moment, or what an interrupted deletion left long ago.
                if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1))
                    DeleteFolder(folder);
                continue;
            }

            if (IsAlive(owner))
                continue;
            var data = Path.Combine(folder, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    CommandRunner.RunAsync([.. runAs, Path.Combine(binaries, "pg_ctl"), "stop", "-D", data, "-m", "immediate", "-w"],
                        s_commandTimeout, workingDirectory: folder).GetAwaiter().GetResult();
                }
                catch (InvalidOperationException)
                {
                }
            }

            DeleteFolder(folder);
        }
    }

    private static string? ReadOwner(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, OwnerFile)).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
