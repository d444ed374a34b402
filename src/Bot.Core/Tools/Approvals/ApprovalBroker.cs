using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bot.Core.Infrastructure;

namespace Bot.Core.Tools.Approvals;

/// <summary>
/// The open approval questions of this process: a turn opens one and waits; a channel passes on the click that decides
/// it. Only the asker (or someone the channel calls an admin) decides; the first decision counts; an unanswered question
/// is denied at its expiry. Decided and expired ids are remembered for a day, so that a late or second click gets the
/// right short reply.
/// </summary>
public sealed class ApprovalBroker(TimeProvider time) : IApprovalAnswers
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, Pending> _open = new(StringComparer.Ordinal);
    private readonly ExpiringMap<string, ApprovalDecision> _closed = new(TimeSpan.FromDays(1), 10_000, time, StringComparer.Ordinal);

    /// <summary>Opens a question for <paramref name="askerId"/> that expires after <paramref name="timeout"/>.</summary>
    public ApprovalPrompt Open(ApprovalQuestion question, string askerId, TimeSpan timeout)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var prompt = new ApprovalPrompt(id, question, askerId, time.GetUtcNow() + timeout);
        _open[id] = new Pending(askerId);
        return prompt;
    }

    /// <summary>
    /// Waits for the decision on <paramref name="prompt"/>: the answer, <see cref="ApprovalDecision.TimedOut"/> at its
    /// expiry, or <see cref="ApprovalDecision.Unavailable"/> when <paramref name="cancellationToken"/> ends the turn first.
    /// The question is closed afterwards either way.
    /// </summary>
    public async Task<ApprovalDecision> WaitAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default)
    {
        if (!_open.TryGetValue(prompt.Id, out var pending))
        {
            // Answered (or closed) before the wait began: that decision stands.
            lock (_lock)
                return _closed.TryGetValue(prompt.Id, out var closed) ? closed : throw new InvalidOperationException($"Approval {prompt.Id} was never opened.");
        }

        var wait = prompt.ExpiresAt - time.GetUtcNow();
        try
        {
            return await pending.Decision.Task.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // An answer may have closed it in the same instant: then that answer counts.
            return Close(prompt.Id, ApprovalDecision.TimedOut) ? ApprovalDecision.TimedOut : await pending.Decision.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Close(prompt.Id, ApprovalDecision.Unavailable);
            throw;
        }
    }

    /// <inheritdoc />
    public ApprovalAnswerResult Answer(string promptId, string userId, bool mayAnswerForOthers, bool approve)
    {
        lock (_lock)
            return AnswerLocked(promptId, userId, mayAnswerForOthers, approve);
    }

    private ApprovalAnswerResult AnswerLocked(string promptId, string userId, bool mayAnswerForOthers, bool approve)
    {
        if (_open.TryGetValue(promptId, out var pending))
        {
            if (!mayAnswerForOthers && !string.Equals(pending.AskerId, userId, StringComparison.Ordinal))
                return ApprovalAnswerResult.NotYours;
            if (Close(promptId, approve ? ApprovalDecision.Approved : ApprovalDecision.Denied))
                return ApprovalAnswerResult.Accepted;
        }

        return _closed.TryGetValue(promptId, out var decision) && decision is ApprovalDecision.Approved or ApprovalDecision.Denied
            ? ApprovalAnswerResult.AlreadyAnswered
            : ApprovalAnswerResult.Expired;
    }

    // Only the first close of a question decides it; later ones return false.
    private bool Close(string id, ApprovalDecision decision)
    {
        Pending? pending;
        lock (_lock)
        {
            if (!_open.TryRemove(id, out pending))
                return false;
            _closed.AddOrUpdate(id, _ => decision, (_, _) => decision);
        }

        pending.Decision.TrySetResult(decision);
        return true;
    }

    private sealed record Pending(string AskerId)
    {
        public TaskCompletionSource<ApprovalDecision> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
