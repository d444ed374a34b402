using System.Globalization;
using System.Net.Sockets;
using Bot.Testing.Postgres;
using Npgsql;

namespace Bot.Storage.Postgres.Tests;

/// <summary>The throwaway cluster itself: it refuses nothing on a root test run, and it goes away when stopped.</summary>
public sealed class ThrowawayPostgresTests
{
    [Fact]
    public async Task The_server_runs_as_an_unprivileged_user_when_the_tests_run_as_root()
    {
        var cluster = await ThrowawayPostgres.GetAsync();

        var uid = ServerUid(cluster);

        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal(ThrowawayPostgres.UnprivilegedUser, cluster.RunsAs);
            Assert.NotEqual(0, uid);
        }
        else
        {
            Assert.Equal(Environment.UserName, cluster.RunsAs);
        }
    }

    [Fact]
    public async Task Stop_shuts_the_server_down_and_deletes_its_folder()
    {
        var cluster = await ThrowawayPostgres.StartAsync(_ => { });
        await using (var connection = new NpgsqlConnection(cluster.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1;", connection);
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        NpgsqlConnection.ClearAllPools();
        cluster.Stop();

        // The folder is deleted by a process of its own, which may still be at it.
        for (var i = 0; i < 300 && Directory.Exists(cluster.Root); i++)
            await Task.Delay(100);
        Assert.False(Directory.Exists(cluster.Root));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", cluster.Port));
    }

    // The postmaster's pid is the first line of postmaster.pid; its real uid is the first number of "Uid:" in /proc.
    private static int ServerUid(ThrowawayPostgres cluster)
    {
        var pid = File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First().Trim();
        var uidLine = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(uidLine.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
