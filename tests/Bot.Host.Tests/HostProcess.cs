using System.Diagnostics;
using System.Text;
using Bot.Testing;

namespace Bot.Host.Tests;

/// <summary>
/// The built Bot.Host as a process of its own (<c>dotnet Bot.Host.dll</c>) listening on a free loopback port, its output
/// collected for the failure messages of <see cref="WaitUntilAsync(Func{Task{bool}}, string)"/>; killed (SIGKILL) at
/// dispose when it still runs.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _log = new();

    private HostProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    /// <summary>The port of its HTTP endpoints (<c>--urls</c>).</summary>
    public int Port { get; }

    public bool HasExited => Process.HasExited;

    /// <summary>What it wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Starts the host with <paramref name="arguments"/> (configuration as <c>--Key value</c>) and <paramref name="environment"/>.</summary>
    public static HostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var port = LoopbackHost.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Bot.Host.dll"), "--urls", $"http://127.0.0.1:{port}", .. arguments])
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return new HostProcess(Process.Start(start)!, port);
    }

    /// <summary>SIGKILL: no shutdown, no last writes, leases left to expire.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit(10_000);
    }

    public Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Waits (at most 90 s) until <paramref name="condition"/> holds; fails with the host's output if it exits first.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_patience;
        while (!await condition())
        {
            Assert.False(Process.HasExited, $"the host exited while waiting for {what}: {Log}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}: {Log}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
            Kill();
        Process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_log)
            _log.AppendLine(line);
    }
}
