using Bot.Core.Tools.Approvals;
using Bot.Discord.Rest;

namespace Bot.Discord.Adapter;

/// <summary>
/// Approval questions: a message of their own in the reply's channel, answering the asker's message, with Approve and
/// Deny buttons (<see cref="ApprovalMessage"/>); a click is handled by <see cref="ApprovalClicks"/>.
/// </summary>
internal sealed partial class DiscordReplyWriter
{
    public bool CanAskApproval => true;

    public async Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var message = DiscordRestClient.Message(ApprovalMessage.Text(prompt.Question), address.ReplyTo, flags);
        message["components"] = ApprovalMessage.Buttons(prompt.Id);
        var id = await rest.CreateMessageAsync(address.ChannelId, message, cancellationToken: cancellationToken).ConfigureAwait(false);
        approvals.Add(new PostedApproval(prompt, address.ChannelId, id));
    }

    /// <summary>
    /// Shows the outcome instead of the buttons, unless the click that decided the question did so already (its
    /// interaction response updates the message).
    /// </summary>
    public async Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (approvals.Take(prompt.Id) is not { } posted)
            return;
        await rest.EditMessageAsync(posted.ChannelId, posted.MessageId, Settled(prompt.Question, decision, flags), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The edit (or type-7 update) that replaces a question's buttons with its outcome; pings nobody.</summary>
    public static JsonObject Settled(ApprovalQuestion question, ApprovalDecision decision, int flags)
    {
        var message = DiscordRestClient.Message(ApprovalMessage.Text(question, decision), flags: flags);
        message["components"] = new JsonArray();
        return message;
    }
}
