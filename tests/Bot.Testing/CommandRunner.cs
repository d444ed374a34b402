using System.Diagnostics;
using System.Text;

namespace Bot.Testing;

/// <summary>Runs a command line to its end for test setup (apt-get, initdb, pg_ctl), keeping the tail of its output.</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="command"/>; returns its output, or throws with the last lines when it fails.</summary>
    /// <exception cref="InvalidOperationException">It could not start, exited with another code than 0, or timed out.</exception>
    public static async Task<string> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} could not be started.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = CollectAsync(process.StandardOutput, output);
        var stderr = CollectAsync(process.StandardError, output);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{string.Join(' ', command)}` did not finish within {timeout.TotalSeconds:0} s.");
        }

        await Task.WhenAll(stdout, stderr);
        string text;
        lock (output)
            text = output.ToString();
        if (process.ExitCode != 0)
        {
            var tail = string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
            throw new InvalidOperationException($"`{string.Join(' ', command)}` exited with {process.ExitCode}:\n{tail}");
        }

        return text;
    }

    /// <summary>The first executable file called <paramref name="name"/> on PATH (then /usr/bin, /bin), or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/bin").Append("/bin").Select(folder => Path.Combine(folder, name)).FirstOrDefault(IsExecutable);

    /// <summary>True when <paramref name="path"/> is a file someone may execute.</summary>
    public static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
            return false;
        if (OperatingSystem.IsWindows())
            return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static async Task CollectAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
                output.Append(line).Append('\n');
        }
    }
}
