using Bot.Core.Channels;

namespace Bot.Testing.Channels;

/// <summary>Records the writes of one reply and checks that no two are ever in flight at once.</summary>
public sealed class RecordingReplyWriter(RecordingChannel channel, string replyAddress) : IReplyWriter
{
    private readonly Lock _lock = new();
    private readonly List<WriteRecord> _writes = [];
    private readonly Dictionary<string, string> _messages = [];
    private readonly List<string> _order = [];
    private int _inFlight;
    private int _count;

    public string ReplyAddress { get; } = replyAddress;

    public ChannelLimits Limits => channel.Limits;

    /// <summary>How often a write started while another was still running (must stay 0).</summary>
    public int OverlappingWrites { get; private set; }

    public IReadOnlyList<WriteRecord> Writes
    {
        get
        {
            lock (_lock)
                return [.. _writes];
        }
    }

    /// <summary>The text of each message as the platform shows it now, in posting order.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_lock)
                return [.. _order.Select(id => _messages[id])];
        }
    }

    /// <summary>All messages joined: what the user reads.</summary>
    public string Text => string.Join("\n", Messages);

    public IReadOnlyList<Bot.Core.Channels.OutputFile> Files => [.. Writes.Where(w => w.Kind == WriteKind.Files).SelectMany(w => w.Files)];

    public Task StartTypingAsync(CancellationToken cancellationToken = default) => RecordAsync(WriteKind.Typing, null, "", [], cancellationToken);

    public async Task<string> PostAsync(string text, CancellationToken cancellationToken = default)
    {
        var id = $"m{Interlocked.Increment(ref _count)}";
        await RecordAsync(WriteKind.Post, id, text, [], cancellationToken);
        return id;
    }

    public Task EditAsync(string messageId, string text, CancellationToken cancellationToken = default) =>
        RecordAsync(WriteKind.Edit, messageId, text, [], cancellationToken);

    public Task SendFilesAsync(IReadOnlyList<Bot.Core.Channels.OutputFile> files, CancellationToken cancellationToken = default) =>
        RecordAsync(WriteKind.Files, null, "", files, cancellationToken);

    public Task ShowStatusAsync(string? status, CancellationToken cancellationToken = default) =>
        RecordAsync(WriteKind.Status, null, status ?? "", [], cancellationToken);

    private async Task RecordAsync(WriteKind kind, string? messageId, string text, IReadOnlyList<Bot.Core.Channels.OutputFile> files,
        CancellationToken cancellationToken)
    {
        var visible = kind is WriteKind.Post or WriteKind.Edit;
        if (visible && Interlocked.Increment(ref _inFlight) > 1)
            OverlappingWrites++;
        try
        {
            if (channel.WriteLatency > TimeSpan.Zero)
                await Task.Delay(channel.WriteLatency, cancellationToken);
            int index;
            lock (_lock)
                index = _writes.Count(w => w.Kind == kind);
            if (channel.FailWrite?.Invoke(kind, index) == true)
            {
                lock (_lock)
                    _writes.Add(new WriteRecord(kind, messageId, "(failed) " + text, DateTimeOffset.UtcNow, files));
                throw new HttpRequestException($"Simulated {kind} failure");
            }

            var record = new WriteRecord(kind, messageId, text, DateTimeOffset.UtcNow, files);
            lock (_lock)
            {
                _writes.Add(record);
                if (kind == WriteKind.Post)
                    _order.Add(messageId!);
                if (visible)
                    _messages[messageId!] = text;
            }

            if (visible)
                channel.OnWrite?.Invoke(this, record);
        }
        finally
        {
            if (visible)
                Interlocked.Decrement(ref _inFlight);
        }
    }
}
