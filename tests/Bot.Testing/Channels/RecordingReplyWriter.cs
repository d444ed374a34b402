using Bot.Core.Channels;
using Bot.Core.Replies;

namespace Bot.Testing.Channels;

/// <summary>Records the writes of one reply and checks that no two are ever in flight at once.</summary>
public sealed partial class RecordingReplyWriter(RecordingChannel channel, string replyAddress) : IReplyWriter
{
    private readonly Lock _lock = new();
    private readonly List<WriteRecord> _writes = [];
    private readonly Dictionary<string, string> _messages = [];
    private readonly List<string> _order = [];
    private int _inFlight;

    public string ReplyAddress { get; } = replyAddress;

    /// <summary>The channel this reply is written on (its failure and latency settings apply).</summary>
    public RecordingChannel Channel => channel;

    public ChannelLimits Limits => channel.Limits;

    public IReplyPresenter Presenter => channel.Presenter;

    /// <summary>Whether a post or an edit has started and not yet ended.</summary>
    public bool WriteInFlight => Volatile.Read(ref _inFlight) > 0;

    /// <summary>How often a write started while another was still running (must stay 0).</summary>
    public int OverlappingWrites { get; private set; }

    /// <summary>The state the reply completed with, once it did.</summary>
    public ReplySnapshot? Final { get; private set; }

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

    public IReadOnlyList<OutputFile> Files => [.. Writes.Where(w => w.Kind == WriteKind.Files).SelectMany(w => w.Files)];

    public Task StartTypingAsync(CancellationToken cancellationToken = default) => RecordAsync(WriteKind.Typing, null, "", [], null, cancellationToken);

    public async Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default)
    {
        var id = channel.NextMessageId();
        await RecordAsync(WriteKind.Post, id, message.Text, [], message.Snapshot, cancellationToken);
        return PostResult.Posted(id);
    }

    /// <summary>The message ids the core adopted from an earlier process's reply (a turn finished after a restart).</summary>
    public IReadOnlyList<string> Adopted { get; private set; } = [];

    public void Adopt(IReadOnlyList<string> messageIds)
    {
        Adopted = [.. messageIds];
        lock (_lock)
        {
            foreach (var id in messageIds)
            {
                _order.Add(id);
                _messages[id] = channel.ShownText(id) ?? "";
            }
        }
    }

    public Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default) =>
        RecordAsync(WriteKind.Edit, messageId, message.Text, [], message.Snapshot, cancellationToken);

    public Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default) =>
        RecordAsync(WriteKind.Files, null, "", files, null, cancellationToken);

    public Task ShowStatusAsync(ToolStatus? status, CancellationToken cancellationToken = default) =>
        RecordAsync(WriteKind.Status, null, status?.Text ?? "", [], null, cancellationToken);

    public Task CompleteAsync(ReplySnapshot final, CancellationToken cancellationToken = default)
    {
        Final = final;
        channel.Changes.Notify();
        return Task.CompletedTask;
    }

    private async Task RecordAsync(WriteKind kind, string? messageId, string text, IReadOnlyList<OutputFile> files, ReplySnapshot? snapshot,
        CancellationToken cancellationToken)
    {
        var visible = kind is WriteKind.Post or WriteKind.Edit;
        if (visible && Interlocked.Increment(ref _inFlight) > 1)
            OverlappingWrites++;
        if (visible)
            channel.Changes.Notify();
        try
        {
            if (channel.WriteLatency > TimeSpan.Zero)
                await Task.Delay(channel.WriteLatency, channel.Time, cancellationToken);
            int index;
            lock (_lock)
                index = _writes.Count(w => w.Kind == kind);
            if (channel.FailWrite?.Invoke(kind, index) == true)
            {
                lock (_lock)
                    _writes.Add(new WriteRecord(kind, messageId, "(failed) " + text, channel.Time.GetUtcNow(), files, snapshot));
                channel.Changes.Notify();
                throw new HttpRequestException($"Simulated {kind} failure");
            }

            var record = new WriteRecord(kind, messageId, text, channel.Time.GetUtcNow(), files, snapshot);
            lock (_lock)
            {
                _writes.Add(record);
                if (kind == WriteKind.Post)
                    _order.Add(messageId!);
                if (visible)
                    _messages[messageId!] = text;
            }

            if (visible)
                channel.Show(messageId!, ReplyAddress, kind, text);

            if (visible)
                channel.OnWrite?.Invoke(this, record);
            channel.Changes.Notify();
        }
        finally
        {
            if (visible)
                Interlocked.Decrement(ref _inFlight);
        }
    }
}
