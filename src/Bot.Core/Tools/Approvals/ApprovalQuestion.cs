namespace Bot.Core.Tools.Approvals;

/// <summary>
/// A remote tool call the assistant wants to make that needs a person's yes or no first (an MCP server configured with
/// <c>RequireApproval = always</c>). Every field comes from the model or a remote server: channels show them as plain,
/// escaped text.
/// </summary>
/// <param name="ServerLabel">The configured label of the server (for example "github").</param>
/// <param name="ToolName">The tool the assistant wants to call on it.</param>
/// <param name="Arguments">The call's arguments as the service sent them (JSON text).</param>
public sealed record ApprovalQuestion(string ServerLabel, string ToolName, string Arguments);

/// <summary>What became of a question.</summary>
public enum ApprovalDecision
{
    /// <summary>The person who asked (or an admin) approved the call.</summary>
    Approved,

    /// <summary>They denied it.</summary>
    Denied,

    /// <summary>Nobody answered within the approval timeout: the call is denied.</summary>
    TimedOut,

    /// <summary>The channel cannot ask (or the turn ended first): the call is denied.</summary>
    Unavailable,
}

/// <summary>A question as a channel shows it: with the id its buttons carry back, who may answer and until when.</summary>
/// <param name="Id">An opaque, unguessable id (URL- and custom_id-safe, at most 32 characters).</param>
/// <param name="Question">What is asked.</param>
/// <param name="AskerId">The channel's id of the person whose message started the turn; only they (or an admin) may answer.</param>
/// <param name="ExpiresAt">When an unanswered question counts as denied.</param>
public sealed record ApprovalPrompt(string Id, ApprovalQuestion Question, string AskerId, DateTimeOffset ExpiresAt);

/// <summary>What happened to an answer a channel passed on.</summary>
public enum ApprovalAnswerResult
{
    /// <summary>The answer decided the question.</summary>
    Accepted,

    /// <summary>Someone other than the asker (and not an admin) answered; nothing changed.</summary>
    NotYours,

    /// <summary>The question was already decided (a second click); nothing changed.</summary>
    AlreadyAnswered,

    /// <summary>The question timed out, its turn ended, or the id is unknown; nothing changed.</summary>
    Expired,
}

/// <summary>
/// The backend's side of approvals for one turn: it asks, and waits for the decision. A turn whose channel cannot ask
/// gets <see cref="ApprovalDecision.Unavailable"/> at once.
/// </summary>
public interface IToolApprover
{
    /// <summary>Puts <paramref name="question"/> to the person who asked and waits for the decision (or the timeout).</summary>
    Task<ApprovalDecision> DecideAsync(ApprovalQuestion question, CancellationToken cancellationToken = default);

    /// <summary>An approver that cannot ask anyone: every question is denied as unavailable.</summary>
    static IToolApprover None { get; } = new NoApprover();

    private sealed class NoApprover : IToolApprover
    {
        public Task<ApprovalDecision> DecideAsync(ApprovalQuestion question, CancellationToken cancellationToken = default) =>
            Task.FromResult(ApprovalDecision.Unavailable);
    }
}

/// <summary>
/// The channels' side of approvals: a click on Approve or Deny (a card submit, a y/n line) is passed here with who
/// clicked; the result says what to tell them (<see cref="ApprovalTexts.AnswerReply"/>).
/// </summary>
public interface IApprovalAnswers
{
    /// <param name="promptId">The <see cref="ApprovalPrompt.Id"/> the button carried.</param>
    /// <param name="userId">The channel's id of the person who answered.</param>
    /// <param name="mayAnswerForOthers">True when the channel says that person is an admin or moderator there.</param>
    /// <param name="approve">Approve (true) or deny (false).</param>
    ApprovalAnswerResult Answer(string promptId, string userId, bool mayAnswerForOthers, bool approve);
}
