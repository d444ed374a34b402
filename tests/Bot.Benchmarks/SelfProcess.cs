using System.Diagnostics;

namespace Bot.Benchmarks;

/// <summary>Starts this benchmark program again as a child process (the fake, or one scenario).</summary>
internal static class SelfProcess
{
    /// <summary>Starts the child with stdin and stdout redirected; its stderr goes to ours.</summary>
    public static Process Start(IEnumerable<string> arguments)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };

        // Each child decides for itself: a scenario tunes the runtime as the host does (RuntimeTuning), the fake keeps
        // the runtime's defaults.
        info.Environment.Remove(Bot.Core.Infrastructure.RuntimeTuning.InlineSocketCompletions);

        // Started as `dotnet Bot.Benchmarks.dll`: the child needs the dll again.
        if (Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            info.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {path}.");
    }

    /// <summary>Reads stdout lines until one starts with <paramref name="prefix"/>; returns the rest of that line.</summary>
    public static async Task<string> ReadUntilAsync(Process process, string prefix, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellation.Token)
                ?? throw new InvalidOperationException($"The child process ended (exit code {(process.HasExited ? process.ExitCode : -1)}) before printing '{prefix}'.");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return line[prefix.Length..];
        }
    }

    /// <summary>Waits for the child to exit, killing it (and only it) after the grace period.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        using var cancellation = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }
}
