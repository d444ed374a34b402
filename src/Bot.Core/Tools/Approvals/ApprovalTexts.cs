namespace Bot.Core.Tools.Approvals;

/// <summary>The words every channel uses around approvals, so that they read the same everywhere.</summary>
public static class ApprovalTexts
{
    /// <summary>The label of the approving button (or the "y" of a prompt).</summary>
    public const string Approve = "Approve";

    /// <summary>The label of the denying button.</summary>
    public const string Deny = "Deny";

    /// <summary>The question's heading, for example "Allow github to run create_issue?".</summary>
    public static string Heading(ApprovalQuestion question) => $"Allow {question.ServerLabel} to run {question.ToolName}?";

    /// <summary>The short reply to the person who clicked, or null when the click went through (the question updates itself).</summary>
    public static string? AnswerReply(ApprovalAnswerResult result) => result switch
    {
        ApprovalAnswerResult.Accepted => null,
        ApprovalAnswerResult.NotYours => "Only the person who asked (or an admin) can answer this.",
        ApprovalAnswerResult.AlreadyAnswered => "This was already answered.",
        _ => "This question has expired.",
    };

    /// <summary>The line that replaces the buttons once the question is decided.</summary>
    public static string Outcome(ApprovalDecision decision) => decision switch
    {
        ApprovalDecision.Approved => "Approved.",
        ApprovalDecision.Denied => "Denied.",
        ApprovalDecision.TimedOut => "No answer in time: denied.",
        _ => "Not asked: denied.",
    };
}
