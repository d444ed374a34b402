using System.Net;
using Npgsql;

namespace Bot.Testing.Postgres;

/// <summary>
/// A PostgreSQL cluster of the test process's own: initdb into a temp folder, a free port on 127.0.0.1 only, its
/// unix socket in that folder, trust authentication, fsync off. Started once per process (<see cref="GetAsync"/>) and
/// stopped (pg_ctl stop -m immediate, folder deleted) when the process exits. PostgreSQL refuses to run as root, so
/// when the tests run as root the cluster runs as the unprivileged user <c>nobody</c> (through runuser or setpriv).
/// Tests take a database each (<see cref="CreateDatabaseAsync"/>), so they stay isolated and may run in parallel.
/// </summary>
public sealed partial class ThrowawayPostgres
{
    /// <summary>The user the cluster runs as when the tests run as root.</summary>
    public const string UnprivilegedUser = "nobody";

    private static readonly Lazy<Task<ThrowawayPostgres>> s_shared = new(() => StartAsync(Console.Error.WriteLine));
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _binaries;
    private readonly string[] _runAs;
    private int _stopped;

    private ThrowawayPostgres(string root, string binaries, string[] runAs, int port)
    {
        Root = root;
        _binaries = binaries;
        _runAs = runAs;
        Port = port;
    }

    /// <summary>The cluster's folder (data, socket, log), deleted when it stops.</summary>
    public string Root { get; }

    /// <summary>The cluster's data folder.</summary>
    public string DataDirectory => Path.Combine(Root, "data");

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Whom the server runs as: <see cref="UnprivilegedUser"/> when the tests run as root, else the current user.</summary>
    public string RunsAs => _runAs.Length > 0 ? UnprivilegedUser : Environment.UserName;

    /// <summary>A connection string to the maintenance database <c>postgres</c> as the superuser <c>postgres</c>.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>The cluster of this test process, started on first use.</summary>
    public static Task<ThrowawayPostgres> GetAsync() => s_shared.Value;

    /// <summary>A connection string to <paramref name="database"/>; test pools stay small so parallel tests fit the server.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        MaxPoolSize = 20,
        Timeout = 30,
        CommandTimeout = 60,
    }.ToString();

    /// <summary>Creates a new empty database with a unique name and returns that name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0;", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    /// <summary>Drops a database of <see cref="CreateDatabaseAsync"/>, closing whatever connections it still has.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server at once and deletes its folder; safe to call twice.</summary>
    /// <remarks>
    /// Runs at process exit, where the test runner may not wait long: instead of pg_ctl (a process to start, then a
    /// wait), the postmaster gets SIGQUIT, PostgreSQL's immediate shutdown, directly; it ends its backends itself.
    /// </remarks>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        if (ReadServerPid() is { } pid && !OperatingSystem.IsWindows())
        {
            _ = NativeMethods.kill(pid, NativeMethods.SigQuit);
            // The postmaster removes its pid file as the last step of its shutdown. (Its /proc entry may outlive it as a
            // zombie where the machine's init does not reap orphans.)
            var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (File.Exists(pidFile) && DateTime.UtcNow < deadline)
                Thread.Sleep(10);
        }

        // Thousands of small files take a while to delete on a busy machine, longer than a test runner may wait for its
        // test process to exit: hand the deletion to a process of its own that outlives this one.
        if (CommandRunner.FindOnPath("setsid") is { } setsid && CommandRunner.FindOnPath("rm") is { } rm)
        {
            try
            {
                using var deletion = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(setsid)
                {
                    ArgumentList = { "-f", rm, "-rf", "--", Root },
                    UseShellExecute = false,
                });
                return;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Could not start it: delete here instead.
            }
        }

        DeleteFolder(Root);
    }

    private int? ReadServerPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private Task<string> RunAsync(IReadOnlyList<string> command) =>
        CommandRunner.RunAsync([.. _runAs, .. command], s_commandTimeout, workingDirectory: Root);

    private static partial class NativeMethods
    {
        public const int SigQuit = 3;

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for this one call
        public static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
