using Bot.Core.Tools.Approvals;
using Bot.Discord.Rest;

namespace Bot.Discord.Adapter;

/// <summary>What a click on Approve or Deny gets: the question's message updated (type 7), or an ephemeral sentence.</summary>
/// <param name="Update">The update of the question's message when the click decided it.</param>
/// <param name="Refusal">Otherwise the sentence only the clicker sees.</param>
internal sealed record ApprovalClick(JsonObject? Update, string? Refusal);

/// <summary>
/// Passes a click on an approval button to the core (<see cref="IApprovalAnswers"/>): the asker may answer, and so may a
/// member who may manage messages in the channel (the moderators who may also stop anyone's answer). The access
/// policy has already admitted the clicker.
/// </summary>
internal sealed class ApprovalClicks(IApprovalAnswers answers, PostedApprovals posted, DiscordOptions options)
{
    public ApprovalClick Answer(string customId, Requester requester)
    {
        // A button this bot did not make (or mangled) is as good as one whose question is gone.
        if (!ApprovalMessage.TryParse(customId, out var promptId, out var approve))
            return Refused(ApprovalAnswerResult.Expired);
        var result = answers.Answer(promptId, requester.UserId, requester.IsModerator, approve);
        if (result != ApprovalAnswerResult.Accepted)
            return Refused(result);

        // The click updates the message now; the writer's settle then finds nothing left to do.
        var decision = approve ? ApprovalDecision.Approved : ApprovalDecision.Denied;
        var update = posted.Take(promptId) is { } question
            ? DiscordReplyWriter.Settled(question.Prompt.Question, decision, options.SentMessageFlags)
            : DiscordRestClient.WithFlags(new JsonObject { ["components"] = new JsonArray() }, options.SentMessageFlags);
        return new ApprovalClick(update, null);
    }

    private static ApprovalClick Refused(ApprovalAnswerResult result) => new(null, ApprovalTexts.AnswerReply(result));
}
