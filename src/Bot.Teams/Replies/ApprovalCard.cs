using Bot.Core.Tools.Approvals;
using Bot.Teams.Adapter;

namespace Bot.Teams.Replies;

/// <summary>
/// An approval question as an Adaptive Card (version 1.4, which Teams renders on every client): the heading and the
/// arguments as RichTextBlock text runs, which show text as written (a TextBlock would run Markdown), and two
/// <c>Action.Submit</c> buttons whose data is <c>{"approval": id, "approve": true|false}</c>. Teams delivers a click as
/// a message activity with that data as its <c>value</c> (teams.md §7.4). Once decided, the card shows the outcome
/// instead of the buttons.
/// </summary>
internal static class ApprovalCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The names of the submit data's fields.</summary>
    public const string IdField = "approval", ApproveField = "approve";

    private const int MaxHeadingLength = 300, MaxArgumentsLength = 4000;

    /// <summary>The message activity carrying the card (the question, or with <paramref name="outcome"/> its settled form).</summary>
    public static JsonObject Activity(ReplyAddress address, ApprovalPrompt prompt, ApprovalDecision? outcome = null) =>
        OutgoingActivities.Card(address, Card(prompt, outcome));

    public static JsonObject Card(ApprovalPrompt prompt, ApprovalDecision? outcome = null)
    {
        var question = prompt.Question;
        var body = new JsonArray(
            Run(ApprovalDisplay.Cut(ApprovalDisplay.Plain(ApprovalTexts.Heading(question), multiline: false), MaxHeadingLength), bold: true),
            Run(ApprovalDisplay.Cut(ApprovalDisplay.Plain(question.Arguments, multiline: true), MaxArgumentsLength), monospace: true));
        if (outcome is { } decision)
            body.Add(Run(ApprovalTexts.Outcome(decision), bold: true));
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (outcome is null)
            card["actions"] = new JsonArray(Submit(ApprovalTexts.Approve, "positive", prompt.Id, true), Submit(ApprovalTexts.Deny, "destructive", prompt.Id, false));
        return card;
    }

    /// <summary>Text shown as written (no Markdown): a RichTextBlock with one text run.</summary>
    internal static JsonObject Run(string text, bool bold = false, bool monospace = false)
    {
        // Text runs take no Markdown; "{{" would still start a DATE()/TIME() function, so a zero-width space parts the braces.
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text.Replace("{{", "{\u200B{", StringComparison.Ordinal) };
        if (bold)
            run["weight"] = "bolder";
        if (monospace)
            run["fontType"] = "monospace";
        return new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(run) };
    }

    private static JsonObject Submit(string title, string style, string promptId, bool approve) => new()
    {
        ["type"] = "Action.Submit",
        ["title"] = title,
        ["style"] = style,
        ["data"] = new JsonObject { [IdField] = promptId, [ApproveField] = approve },
    };
}
