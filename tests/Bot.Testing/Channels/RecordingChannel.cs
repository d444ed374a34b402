using System.Collections.Concurrent;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Replies;

namespace Bot.Testing.Channels;

/// <summary>
/// A chat channel for tests and benchmarks that records every reply write with a timestamp, can fail
/// writes on demand, and serves attachments from memory (or fails their download).
/// </summary>
public sealed partial class RecordingChannel(string name = "test", ChannelLimits? limits = null) : IChatChannel
{
    private readonly ConcurrentDictionary<string, RecordingReplyWriter> _writersByAddress = new();
    private readonly ConcurrentQueue<RecordingReplyWriter> _writers = new();

    public string Name { get; } = name;

    public ChannelLimits Limits { get; set; } = limits ?? new ChannelLimits(2000, TimeSpan.FromMilliseconds(50), 8 * 1024 * 1024);

    /// <summary>How replies are laid out (default: Markdown with markers, footnotes and an italic status line).</summary>
    public IReplyPresenter Presenter { get; set; } = RecordingPresenter.Editable;

    /// <summary>The clock of the write timestamps and of <see cref="WriteLatency"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Attachment contents by <see cref="IncomingAttachment.Source"/>; a missing source fails the download.</summary>
    public ConcurrentDictionary<string, byte[]> AttachmentContents { get; } = new();

    /// <summary>Decides per write whether it throws (to simulate a platform refusing an edit).</summary>
    public Func<WriteKind, int, bool>? FailWrite { get; set; }

    /// <summary>Delay of every write, to simulate a slow platform.</summary>
    public TimeSpan WriteLatency { get; set; }

    /// <summary>Called when a visible write completes (benchmarks timestamp it).</summary>
    public Action<RecordingReplyWriter, WriteRecord>? OnWrite { get; set; }

    /// <summary>Notified when a reply writer is created and on every write (also a failed one), so tests can await what they expect.</summary>
    public StateChanges Changes { get; } = new();

    /// <summary>Every reply writer created, in order.</summary>
    public IReadOnlyList<RecordingReplyWriter> Replies => [.. _writers];

    /// <summary>Reply addresses the channel cannot write to (creating their writer throws, like a malformed address).</summary>
    public Func<string, bool>? RefuseAddress { get; set; }

    public IReplyWriter CreateReplyWriter(string replyAddress)
    {
        if (RefuseAddress?.Invoke(replyAddress) == true)
            throw new FormatException($"Not a reply address of this channel: {replyAddress}");
        var writer = new RecordingReplyWriter(this, replyAddress);
        _writers.Enqueue(writer);
        _writersByAddress[replyAddress] = writer;
        Changes.Notify();
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

/// <summary>One write of a reply, as the platform would have received it, with the reply state it was laid out from.</summary>
public sealed record WriteRecord(WriteKind Kind, string? MessageId, string Text, DateTimeOffset At, IReadOnlyList<OutputFile> Files,
    ReplySnapshot? Snapshot = null);

/// <summary>Presenters for the recording channel.</summary>
public sealed class RecordingPresenter(Func<ReplySnapshot, ReplyPresentation> present) : IReplyPresenter
{
    /// <summary>Like a chat platform that edits: markers, final footnotes, the status as an italic line.</summary>
    public static RecordingPresenter Editable { get; } = new(s => ReplyMarkdown.Editable(s, ReplyMarkdown.PlainSource));

    /// <summary>Like a terminal: no markers, the status apart, footnotes at the end of the final text.</summary>
    public static RecordingPresenter AppendOnly { get; } = new(s =>
    {
        var text = ReplyMarkdown.Body(s, inlineMarkers: false);
        if (s.IsFinal)
            ReplyMarkdown.AppendFootnotes(text, s.Citations, ReplyMarkdown.PlainSource);
        return new ReplyPresentation(text.ToString(), Status: s.Status);
    });

    public ReplyPresentation Present(ReplySnapshot snapshot) => present(snapshot);
}
