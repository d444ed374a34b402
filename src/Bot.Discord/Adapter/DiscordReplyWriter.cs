using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Discord.Rest;

namespace Bot.Discord.Adapter;

/// <summary>
/// Writes one reply into a Discord channel or thread: the first message answers the user's message and, while the answer
/// is live, carries a Stop button (removed when the reply completes; a one-off notice never gets one), continuations are
/// plain messages, edits replace the text, and
/// generated files are attached to the last message. Nothing it sends pings anyone, and every create and edit
/// carries <paramref name="flags"/> (SUPPRESS_EMBEDS unless link previews are on). While it runs, <paramref name="replies"/>
/// knows it as its conversation's running reply. Approval questions are messages of their own (DiscordReplyWriter.Approvals.cs).
/// </summary>
internal sealed partial class DiscordReplyWriter(DiscordRestClient rest, ReplyAddress address, ChannelLimits limits, TypingGate typing, int flags,
    RunningReplies replies, PostedApprovals approvals) : IReplyWriter
{
    /// <summary>Custom id prefix of the Stop button; <c>conversation|asker</c> follows.</summary>
    public const string StopPrefix = "stop|";

    /// <summary>Discord's limit for a component's custom_id.</summary>
    private const int MaxCustomIdLength = 100;

    /// <summary>Discord takes at most 10 files and 25 MiB per message.</summary>
    private const int MaxFilesPerMessage = 10;
    private const long MaxBytesPerMessage = 25L * 1024 * 1024;

    private readonly Lock _lock = new();
    private string? _lastMessageId;
    private string? _buttonMessageId;

    public ChannelLimits Limits => limits;

    public ReplyAddress Address => address;

    public IReplyPresenter Presenter => DiscordPresenter.Instance;

    public Task StartTypingAsync(CancellationToken cancellationToken = default) =>
        typing.TryTake(address.ChannelId) ? rest.TriggerTypingAsync(address.ChannelId, cancellationToken) : Task.CompletedTask;

    public async Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default)
    {
        bool first;
        lock (_lock)
            first = _lastMessageId is null;
        var payload = DiscordRestClient.Message(message.Text, first ? address.ReplyTo : null, flags);
        var button = first && message.Index == 0 && message.IsLive;
        if (button)
            payload["components"] = StopButton(address.ConversationId, address.AskerId);
        var id = await rest.CreateMessageAsync(address.ChannelId, payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _lastMessageId = id;
            if (button)
                _buttonMessageId = id;
        }

        return PostResult.Posted(id);
    }

    /// <summary>
    /// Takes over a reply an earlier process posted (finished after a restart or a takeover): files join its last message,
    /// and completing takes the Stop button off its first message, which that process left live.
    /// </summary>
    public void Adopt(IReadOnlyList<string> messageIds)
    {
        if (messageIds.Count == 0)
            return;
        lock (_lock)
            (_lastMessageId, _buttonMessageId) = (messageIds[^1], messageIds[0]);
    }

    public Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default) =>
        rest.EditMessageAsync(address.ChannelId, messageId, DiscordRestClient.Message(message.Text, flags: flags), cancellationToken: cancellationToken);

    public async Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        foreach (var batch in Batches(files))
        {
            var uploads = batch.Select(f => new UploadFile(f.FileName, f.MediaType, f.Content)).ToList();
            string? target;
            lock (_lock)
                target = _lastMessageId;
            if (target is null)
            {
                var id = await rest.CreateMessageAsync(address.ChannelId, DiscordRestClient.Message(null, address.ReplyTo, flags), uploads, cancellationToken)
                    .ConfigureAwait(false);
                lock (_lock)
                    _lastMessageId = id;
            }
            else
            {
                // The files join the final message; later batches (over Discord's per-message limits) get messages of their own.
                await rest.EditMessageAsync(address.ChannelId, target, DiscordRestClient.WithFlags([], flags), uploads, cancellationToken)
                    .ConfigureAwait(false);
                lock (_lock)
                    _lastMessageId = null;
            }
        }
    }

    /// <summary>The reply is complete (also after a failure, a stop or a restart's recovery): takes the Stop button off the first message (once).</summary>
    public async Task CompleteAsync(ReplySnapshot final, CancellationToken cancellationToken = default)
    {
        // The answer is over, whether or not the button comes off: nobody stops it any more.
        replies.Completed(this);
        string? id;
        lock (_lock)
            (id, _buttonMessageId) = (_buttonMessageId, null);
        if (id is not null)
            await rest.EditMessageAsync(address.ChannelId, id, DiscordRestClient.WithFlags(new JsonObject { ["components"] = new JsonArray() }, flags),
                cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The Stop button of one reply. Its custom_id names the conversation and the asker, so that a click can be checked
    /// even when no reply is known to be running (snowflakes keep it far below 100 characters; past that the asker is left
    /// out and only moderators may use the button).
    /// </summary>
    public static JsonArray StopButton(string conversationId, string? askerId)
    {
        var customId = StopPrefix + conversationId + "|" + askerId;
        if (customId.Length > MaxCustomIdLength)
            customId = StopPrefix + conversationId + "|";
        return
        [
            new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 4, ["label"] = "Stop", ["custom_id"] = customId }),
            },
        ];
    }

    /// <summary>The conversation and asker a Stop button's custom_id names (no asker on buttons made before it was added).</summary>
    public static (string ConversationId, string? AskerId) ParseStopId(string customId)
    {
        var tail = customId[StopPrefix.Length..];
        var bar = tail.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (tail, null) : (tail[..bar], bar == tail.Length - 1 ? null : tail[(bar + 1)..]);
    }

    private static IEnumerable<IReadOnlyList<OutputFile>> Batches(IReadOnlyList<OutputFile> files)
    {
        var batch = new List<OutputFile>();
        long bytes = 0;
        foreach (var file in files)
        {
            if (batch.Count > 0 && (batch.Count == MaxFilesPerMessage || bytes + file.Length > MaxBytesPerMessage))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }

            batch.Add(file);
            bytes += file.Length;
        }

        if (batch.Count > 0)
            yield return batch;
    }
}
