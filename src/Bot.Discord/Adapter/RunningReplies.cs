using System.Collections.Concurrent;

namespace Bot.Discord.Adapter;

/// <summary>
/// The reply each conversation is writing now, and so who asked for the answer that a Stop would end. A reply
/// counts from the moment the core creates its writer (its turn has started) until the writer completes; the
/// lane runs one turn at a time per conversation, so the entry is always the running turn's (or, briefly, none).
/// </summary>
internal sealed class RunningReplies
{
    private readonly ConcurrentDictionary<string, DiscordReplyWriter> _writers = new(StringComparer.Ordinal);

    public void Started(DiscordReplyWriter writer) => _writers[writer.Address.ConversationId] = writer;

    /// <summary>Removes the writer, unless a later turn's writer has taken its place already.</summary>
    public void Completed(DiscordReplyWriter writer) =>
        _writers.TryRemove(new KeyValuePair<string, DiscordReplyWriter>(writer.Address.ConversationId, writer));

    /// <summary>The user whose message the conversation's running reply answers; null when no reply is running (or none is known).</summary>
    public string? AskerOf(string conversationId) => _writers.TryGetValue(conversationId, out var writer) ? writer.Address.AskerId : null;
}
