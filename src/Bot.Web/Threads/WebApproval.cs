namespace Bot.Web.Threads;

/// <summary>
/// An approval question as the page shows it, with Approve and Deny until it is decided. The heading and the arguments
/// come from the model and a remote server: the page puts them into text nodes only.
/// </summary>
/// <param name="Id">The question's id, which the buttons post back.</param>
/// <param name="Heading">"Allow github to run create_issue?"</param>
/// <param name="Arguments">The call's arguments (JSON text).</param>
/// <param name="ExpiresAt">When an unanswered question counts as denied.</param>
/// <param name="Outcome">Once decided, the line that replaces the buttons ("Approved."); null while open.</param>
public sealed record WebApproval(string Id, string Heading, string Arguments, DateTimeOffset ExpiresAt, string? Outcome = null);
