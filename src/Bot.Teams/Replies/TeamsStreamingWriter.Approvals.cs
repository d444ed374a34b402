using Bot.Core.Tools.Approvals;

namespace Bot.Teams.Replies;

/// <summary>
/// Approval questions in a streamed personal chat: the card is an ordinary message beside the stream, sent and updated
/// like any other message of the chat. The stream is left as it is: it stays open (its informative update may say that
/// the answer waits for approval), keeps its sequence, and is finished by the reply as usual; a wait that outlasts
/// Teams' two-minute cap ends the stream the way any long answer does (the reply then updates the streamed message).
/// </summary>
internal sealed partial class TeamsStreamingWriter
{
    public bool CanAskApproval => true;

    public Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default) =>
        _plain.AskApprovalAsync(prompt, cancellationToken);

    public Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default) =>
        _plain.SettleApprovalAsync(prompt, decision, cancellationToken);
}
