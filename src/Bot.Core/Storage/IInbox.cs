using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// The inbox of accepted messages: the queue the lanes work from and the record of what was answered. A message is
/// accepted once per channel and platform message id. What a message said (its text, attachments and the author's
/// name) is kept only until the message is finished with (answered, failed or cancelled); its ids, status and times
/// stay, so a re-delivery is still recognised. Safe to call concurrently.
/// </summary>
public interface IInbox
{
    /// <summary>
    /// Records an incoming message with status <see cref="InboxStatus.Accepted"/>. Returns its inbox id, or null when
    /// the channel already delivered a message with that id (a re-delivery is not accepted twice, even concurrently).
    /// </summary>
    Task<long?> TryAcceptAsync(IncomingMessage message, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the status of inbox messages that are not part of a turn (dropped by a reset, refused). A status that ends
    /// a message (Answered, Failed, Cancelled) forgets what it said, as <see cref="ITurnLog.FinishTurnAsync"/> does.
    /// </summary>
    Task SetInboxStatusAsync(IReadOnlyList<long> inboxIds, InboxStatus status, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Messages of a channel still Accepted or Processing (left by a stop or a crash), oldest first, with what they
    /// said: what recovery at start answers or cancels.
    /// </summary>
    Task<IReadOnlyList<InboxRecord>> GetUnfinishedInboxAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>The status of each of the given inbox messages that exists (unknown ids are left out).</summary>
    Task<IReadOnlyDictionary<long, InboxStatus>> GetInboxStatusesAsync(IReadOnlyList<long> inboxIds, CancellationToken cancellationToken = default);
}
