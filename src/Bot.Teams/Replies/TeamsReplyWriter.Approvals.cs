using System.Collections.Concurrent;
using Bot.Core.Tools.Approvals;

namespace Bot.Teams.Replies;

/// <summary>Approval questions: an Adaptive Card message of their own (<see cref="ApprovalCard"/>), updated (PUT) with the outcome.</summary>
internal sealed partial class TeamsReplyWriter
{
    // The activity id of each card this reply posted, until it is settled.
    private readonly ConcurrentDictionary<string, string> _cards = new(StringComparer.Ordinal);

    public bool CanAskApproval => true;

    public async Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var id = await connector.SendAsync(address.ServiceUrl, address.ConversationId, ApprovalCard.Activity(address, prompt), cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException("The Connector answered without an activity id.");
        _cards[prompt.Id] = id;
    }

    /// <summary>Replaces the card with its settled form: the outcome instead of the buttons (once per question).</summary>
    public Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _cards.TryRemove(prompt.Id, out var id)
            ? connector.UpdateAsync(address.ServiceUrl, address.ConversationId, id, ApprovalCard.Activity(address, prompt, decision), cancellationToken)
            : Task.CompletedTask;
    }
}
