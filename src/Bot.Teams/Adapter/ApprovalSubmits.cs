using Bot.Core.Tools.Approvals;
using Bot.Teams.Replies;

namespace Bot.Teams.Adapter;

/// <summary>
/// Clicks on an approval card (<see cref="ApprovalCard"/>): an <c>Action.Submit</c> arrives as a message activity whose
/// <c>value</c> is the button's data. The answer goes to the core (<see cref="IApprovalAnswers"/>) as the sender's
/// <c>from.id</c>, the id the bot records as a message's author; the sender may answer anyone's question when their
/// Entra object id is in <see cref="TeamsOptions.AdminUserIds"/>. The activity came through the endpoint's checks like
/// any other.
/// </summary>
internal sealed class ApprovalSubmits(IApprovalAnswers answers, TeamsOptions options)
{
    private const int MaxIdLength = 100;

    /// <summary>True when the activity's value names an approval question: it is an answer, whatever else it carries.</summary>
    public static bool IsSubmit(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty(ApprovalCard.IdField, out _);

    /// <summary>Passes the click on; returns the short reply for the clicker, or null when the click decided the question.</summary>
    public string? Answer(Activity activity)
    {
        var value = activity.Value!.Value;
        if (!value.TryGetProperty(ApprovalCard.IdField, out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= MaxIdLength } promptId
            || !value.TryGetProperty(ApprovalCard.ApproveField, out var approve) || approve.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return ApprovalTexts.AnswerReply(ApprovalAnswerResult.Expired); // not a value our cards send
        var result = answers.Answer(promptId, activity.From!.Id!, TeamsPlaces.IsListed(options.AdminUserIds, activity.From), approve.GetBoolean());
        return ApprovalTexts.AnswerReply(result);
    }
}
