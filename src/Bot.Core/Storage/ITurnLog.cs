namespace Bot.Core.Storage;

/// <summary>
/// The turns: one row per answer, with its times, the remote responses or runs it made, its token usage and how it
/// ended. Starting and finishing a turn move its inbox messages along in the same step. Safe to call concurrently.
/// </summary>
public interface ITurnLog
{
    /// <summary>
    /// Starts a turn for the given inbox messages: a running turn row, the messages moved to
    /// <see cref="InboxStatus.Processing"/>, the conversation's last-active time updated, all in one step. Returns the
    /// turn id.
    /// </summary>
    Task<long> StartTurnAsync(long conversationId, IReadOnlyList<long> inboxIds, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes a turn: its outcome is written and its inbox messages become Answered (completed, incomplete), Failed
    /// (failed, interrupted) or Cancelled, in one step. What those messages said (text, attachments, the author's name)
    /// is forgotten then; their ids, statuses and times stay. The turn must exist.
    /// </summary>
    Task FinishTurnAsync(long turnId, TurnOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores where a running turn's answer stands (<see cref="TurnResumePoint"/>), replacing what was stored before: one
    /// cheap update of the turn row, called with each visible write of the reply. A turn that is not running is left as it is.
    /// </summary>
    Task SaveResumePointAsync(long turnId, TurnResumePoint point, CancellationToken cancellationToken = default);

    /// <summary>A turn by id, or null.</summary>
    Task<TurnRecord?> GetTurnAsync(long turnId, CancellationToken cancellationToken = default);
}
