using System.Collections.Concurrent;

namespace Bot.Testing.Channels;

/// <summary>
/// The platform's side of the recording channel: every message any reply writer posted, by id, with the text it shows
/// now, whichever writer wrote it last. A test that restarts the core with the same channel sees one platform, so it can
/// check that a reply finished after the restart edited the messages posted before it and posted nothing twice.
/// </summary>
public sealed partial class RecordingChannel
{
    private readonly ConcurrentDictionary<string, string> _shown = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Id, string ReplyAddress)> _posted = new();
    private int _messageIds;

    /// <summary>The text a message shows now, or null when no writer of this channel posted it.</summary>
    public string? ShownText(string messageId) => _shown.TryGetValue(messageId, out var text) ? text : null;

    /// <summary>The ids of the messages posted to a reply address, by every writer, in posting order.</summary>
    public IReadOnlyList<string> PostedTo(string replyAddress) => [.. _posted.Where(p => p.ReplyAddress == replyAddress).Select(p => p.Id)];

    /// <summary>A message id unique on this channel (like a platform's).</summary>
    internal string NextMessageId() => $"m{Interlocked.Increment(ref _messageIds)}";

    internal void Show(string messageId, string replyAddress, WriteKind kind, string text)
    {
        if (kind == WriteKind.Post)
            _posted.Enqueue((messageId, replyAddress));
        _shown[messageId] = text;
    }
}
