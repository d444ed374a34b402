using Bot.Core.Replies;
using Bot.Core.Tools.Approvals;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>
/// The approvals of one turn: each question goes to the author of the turn's last message through the reply's channel,
/// the reply shows "Waiting for approval…" meanwhile, and the turn's own clock stands still while a person decides. A
/// channel that cannot ask gets <see cref="ApprovalDecision.Unavailable"/> at once. Stop or reset while waiting ends the
/// wait (the question settles as not asked) and the turn.
/// </summary>
internal sealed class TurnApprover(
    ApprovalBroker broker,
    IReplyWriter writer,
    string askerId,
    TimeSpan timeout,
    ReplyState state,
    ProgressiveReply reply,
    TurnDeadline deadline,
    ILogger logger,
    CancellationToken delivery) : IToolApprover
{
    public async Task<ApprovalDecision> DecideAsync(ApprovalQuestion question, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!writer.CanAskApproval)
        {
            Log.ApprovalUnavailable(logger, question.ServerLabel, question.ToolName);
            return ApprovalDecision.Unavailable;
        }

        var prompt = broker.Open(question, askerId, timeout);
        ApprovalDecision decision;
        using (deadline.Pause())
        {
            ShowWaiting(true);
            try
            {
                decision = await AskAndWaitAsync(prompt, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stop, reset or shutdown: the question closes as not asked (the broker did so if it was waiting) and
                // its buttons still go.
                await CloseUnansweredAsync(prompt).ConfigureAwait(false);
                await SettleAsync(prompt, ApprovalDecision.Unavailable).ConfigureAwait(false);
                throw;
            }
            finally
            {
                ShowWaiting(false);
            }
        }

        Log.ApprovalDecided(logger, prompt.Id, question.ServerLabel, question.ToolName, decision.ToString());
        await SettleAsync(prompt, decision).ConfigureAwait(false);
        return decision;
    }

    private async Task<ApprovalDecision> AskAndWaitAsync(ApprovalPrompt prompt, CancellationToken cancellationToken)
    {
        // The wait starts before the question shows: a click that comes the moment it appears must find it waiting.
        var decision = broker.WaitAsync(prompt, cancellationToken);
        try
        {
            await writer.AskApprovalAsync(prompt, cancellationToken).ConfigureAwait(false);
            Log.ApprovalAsked(logger, askerId, prompt.Question.ServerLabel, prompt.Question.ToolName, prompt.Id, prompt.ExpiresAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nobody saw the question: it is closed (as not asked) rather than left to expire, and the call is denied.
            Log.ApprovalAskFailed(logger, prompt.Id, prompt.Question.ServerLabel, prompt.Question.ToolName, ex);
            await CloseUnansweredAsync(prompt).ConfigureAwait(false);
            await decision.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false);
            return ApprovalDecision.Unavailable;
        }

        return await decision.ConfigureAwait(false);
    }

    // The broker closes a question it waits for when the wait is cancelled: an already cancelled wait closes it now.
    private async Task CloseUnansweredAsync(ApprovalPrompt prompt)
    {
        try
        {
            await broker.WaitAsync(prompt, new CancellationToken(canceled: true)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed now, as not asked.
        }
        catch (InvalidOperationException)
        {
            // Already closed.
        }
    }

    private void ShowWaiting(bool waiting)
    {
        if (state.Apply(new ToolActivity(ToolKind.Approval, waiting)))
            reply.Invalidate();
    }

    // Best effort, and still done when the turn was stopped: the delivery token only ends with the host.
    private async Task SettleAsync(ApprovalPrompt prompt, ApprovalDecision decision)
    {
        try
        {
            await writer.SettleApprovalAsync(prompt, decision, delivery).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !delivery.IsCancellationRequested)
        {
            Log.ApprovalSettleFailed(logger, prompt.Id, ex);
        }
    }
}
