using Bot.Core.Tools.Approvals;

namespace Bot.Testing.Channels;

/// <summary>Approval questions are recorded on the channel (<see cref="RecordingChannel.Questions"/>).</summary>
public sealed partial class RecordingReplyWriter
{
    public bool CanAskApproval => Channel.CanAskApproval;

    public Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default)
    {
        if (Channel.FailApprovalQuestions)
            throw new HttpRequestException("Simulated failure to show an approval question");
        Channel.Questions.Enqueue(prompt);
        Channel.OnQuestion?.Invoke(prompt);
        Channel.Changes.Notify();
        return Task.CompletedTask;
    }

    public Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        Channel.Settled.Enqueue((prompt, decision));
        Channel.Changes.Notify();
        return Task.CompletedTask;
    }
}
