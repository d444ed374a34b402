using System.Collections.Concurrent;
using Bot.Core.Channels;
using Bot.Core.Conversations;

namespace Bot.Testing.Channels;

/// <summary>
/// A chat channel for tests and benchmarks that records every reply write with a timestamp, can fail
/// writes on demand, and serves attachments from memory (or fails their download).
/// </summary>
public sealed class RecordingChannel(string name = "test", ChannelLimits? limits = null) : IChatChannel
{
    private readonly ConcurrentDictionary<string, RecordingReplyWriter> _writersByAddress = new();
    private readonly ConcurrentQueue<RecordingReplyWriter> _writers = new();

    public string Name { get; } = name;

    public ChannelLimits Limits { get; set; } = limits ?? new ChannelLimits(2000, TimeSpan.FromMilliseconds(50), 8 * 1024 * 1024);

    /// <summary>Attachment contents by <see cref="IncomingAttachment.Source"/>; a missing source fails the download.</summary>
    public ConcurrentDictionary<string, byte[]> AttachmentContents { get; } = new();

    /// <summary>Decides per write whether it throws (to simulate a platform refusing an edit).</summary>
    public Func<WriteKind, int, bool>? FailWrite { get; set; }

    /// <summary>Delay of every write, to simulate a slow platform.</summary>
    public TimeSpan WriteLatency { get; set; }

    /// <summary>Called when a visible write completes (benchmarks timestamp it).</summary>
    public Action<RecordingReplyWriter, WriteRecord>? OnWrite { get; set; }

    /// <summary>Every reply writer created, in order.</summary>
    public IReadOnlyList<RecordingReplyWriter> Replies => [.. _writers];

    public IReplyWriter CreateReplyWriter(string replyAddress)
    {
        var writer = new RecordingReplyWriter(this, replyAddress);
        _writers.Enqueue(writer);
        _writersByAddress[replyAddress] = writer;
        return writer;
    }

    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default) =>
        AttachmentContents.TryGetValue(attachment.Source, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new HttpRequestException($"404 Not Found: {attachment.Source}");

    /// <summary>The replies written to one reply address.</summary>
    public IReadOnlyList<RecordingReplyWriter> RepliesTo(string replyAddress) =>
        [.. _writers.Where(w => w.ReplyAddress == replyAddress)];

    /// <summary>Builds an incoming message for this channel.</summary>
    public IncomingMessage Message(string conversationId, string text, string? messageId = null, string author = "Ada",
        IReadOnlyList<IncomingAttachment>? attachments = null, bool shared = false) =>
        new(new ConversationKey(Name, conversationId), messageId ?? Guid.NewGuid().ToString("N"), new MessageAuthor(author.ToLowerInvariant(), author),
            text, attachments ?? [], DateTimeOffset.UtcNow, ReplyAddress: $"{conversationId}/{messageId ?? "reply"}", shared);
}

/// <summary>The kinds of writes a reply makes.</summary>
public enum WriteKind
{
    Post,
    Edit,
    Files,
    Typing,
    Status,
}

/// <summary>One write of a reply, as the platform would have received it.</summary>
public sealed record WriteRecord(WriteKind Kind, string? MessageId, string Text, DateTimeOffset At, IReadOnlyList<OutputFile> Files);
