namespace Bot.Web.Threads;

/// <summary>
/// The thread's open approval questions: each is pushed to the pages (<c>approval</c> event) when asked and again, with
/// its outcome, when decided; a page that connects meanwhile gets the open ones with <c>sync</c>.
/// </summary>
internal sealed partial class WebThread
{
    private readonly List<WebApproval> _approvals = [];

    public void Ask(WebApproval approval)
    {
        lock (_lock)
        {
            _approvals.Add(approval);
            Publish("approval", approval);
        }
    }

    public void Settle(string approvalId, string outcome)
    {
        lock (_lock)
        {
            var index = _approvals.FindIndex(a => a.Id == approvalId);
            if (index < 0)
                return;
            var settled = _approvals[index] with { Outcome = outcome };
            _approvals.RemoveAt(index);
            Publish("approval", settled);
        }
    }

    private List<WebApproval>? OpenApprovalsLocked() => _approvals.Count == 0 ? null : [.. _approvals];
}
