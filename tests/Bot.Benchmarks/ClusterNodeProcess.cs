using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Bot.Benchmarks;

/// <summary>The orchestrator's handle on one <see cref="ClusterNode"/> child: sends accepts, collects acks and reports.</summary>
internal sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _pending = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private readonly Task _reader;
    private List<NodeFinal> _report = [];
    private TaskCompletionSource<IReadOnlyList<NodeFinal>>? _reportDone;
    private volatile bool _exited;

    private ClusterNodeProcess(string id, Process process)
    {
        Id = id;
        _process = process;
        _reader = Task.Run(ReadAsync);
    }

    public string Id { get; }

    public bool Alive => !_exited;

    public static async Task<ClusterNodeProcess> StartAsync(string id, string connectionString, Uri openAi, TimeSpan leaseTimeout, int tokens)
    {
        var process = SelfProcess.Start(["cluster-node", "--id", id, "--pg", connectionString, "--openai", openAi.ToString(),
            "--lease-timeout-ms", ((int)leaseTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "--tokens", tokens.ToString(CultureInfo.InvariantCulture), .. Environment.GetEnvironmentVariable("BOT_BENCH_LOG") == "1" ? ["--log"] : Array.Empty<string>()]);
        await SelfProcess.ReadUntilAsync(process, "ready", TimeSpan.FromMinutes(2));
        return new ClusterNodeProcess(id, process);
    }

    /// <summary>Stores one message on this instance: true once it is stored (or was already), false when the instance refused or died.</summary>
    public Task<bool> AcceptAsync(string conversation, string messageId)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[messageId] = done;
        try
        {
            lock (_writeLock)
            {
                _process.StandardInput.WriteLine($"accept {conversation} {messageId}");
                _process.StandardInput.Flush();
            }
        }
        catch (IOException)
        {
            _pending.TryRemove(messageId, out _);
            return Task.FromResult(false);
        }

        if (_exited && _pending.TryRemove(messageId, out var gone))
            gone.TrySetResult(false);
        return done.Task;
    }

    /// <summary>Every reply this instance finished.</summary>
    public async Task<IReadOnlyList<NodeFinal>> ReportAsync()
    {
        var done = new TaskCompletionSource<IReadOnlyList<NodeFinal>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reportDone = done;
        lock (_writeLock)
        {
            _process.StandardInput.WriteLine("report");
            _process.StandardInput.Flush();
        }

        return await done.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>kill -9: no clean shutdown, its leases stay until they expire.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var fields = line.Split(' ', 2);
            if (fields is ["accepted", var id] && _pending.TryRemove(id, out var accepted))
                accepted.TrySetResult(true);
            else if (fields is ["refused", var refusedId] && _pending.TryRemove(refusedId, out var refused))
                refused.TrySetResult(false);
            else if (line.StartsWith("final\t", StringComparison.Ordinal) && line.Split('\t') is [_, var address, var ticks, var kind])
                _report.Add(new NodeFinal(address, new DateTimeOffset(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero), kind));
            else if (line == "end")
            {
                _reportDone?.TrySetResult(_report);
                _report = [];
            }
        }

        _exited = true;
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var lost))
                lost.TrySetResult(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited)
        {
            try
            {
                lock (_writeLock)
                {
                    _process.StandardInput.WriteLine("quit");
                    _process.StandardInput.Flush();
                }
            }
            catch (IOException)
            {
                // Already gone.
            }
        }

        await SelfProcess.StopAsync(_process, TimeSpan.FromSeconds(30));
        await _reader;
        _process.Dispose();
    }
}

/// <summary>
/// A reply an instance finished: where, when its first message was posted, and what it was: the expected "answer", a
/// "notice" (a turn interrupted by the kill, told once), or "wrong".
/// </summary>
internal sealed record NodeFinal(string ReplyAddress, DateTimeOffset FirstPost, string Kind)
{
    public bool IsAnswer => Kind == "answer";
}
