using Bot.Core.Tools.Approvals;
using Bot.Web.Threads;

namespace Bot.Web;

/// <summary>Approval questions go into the thread, whose pages show Approve and Deny; a click comes back through the API.</summary>
internal sealed partial class WebReplyWriter
{
    public bool CanAskApproval => true;

    public async Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        thread.Ask(new WebApproval(prompt.Id, ApprovalTexts.Heading(prompt.Question), prompt.Question.Arguments, prompt.ExpiresAt));
    }

    public async Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        var thread = await threads.GetAsync(threadId, cancellationToken).ConfigureAwait(false);
        thread.Settle(prompt.Id, ApprovalTexts.Outcome(decision));
    }
}
