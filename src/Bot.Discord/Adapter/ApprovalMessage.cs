using System.Text;
using Bot.Core.Tools.Approvals;

namespace Bot.Discord.Adapter;

/// <summary>
/// How an approval question looks in Discord: the heading in bold (Markdown escaped), the arguments in a code block that
/// nothing in them can close (a zero-width space follows every backtick), cut to fit one message together with the
/// outcome line that replaces the buttons later; and the Approve (green) and Deny (red) buttons, whose custom_id is
/// <c>apv:{prompt id}:y</c> or <c>…:n</c>.
/// </summary>
internal static class ApprovalMessage
{
    /// <summary>Custom id prefix of the approval buttons.</summary>
    public const string Prefix = "apv:";

    private const int MaxCustomIdLength = 100, MaxMessageLength = 2000, MaxHeadingLength = 300;
    private const string FenceOpen = "\n```json\n", FenceClose = "\n```";
    private const int ButtonSuccess = 3, ButtonDanger = 4;

    // Room kept for the longest outcome line, so that settling never pushes the message past Discord's limit.
    private static readonly int s_outcomeRoom = Enum.GetValues<ApprovalDecision>().Max(d => ApprovalTexts.Outcome(d).Length) + 1;

    /// <summary>The question's text, with its outcome as a last line once decided.</summary>
    public static string Text(ApprovalQuestion question, ApprovalDecision? outcome = null)
    {
        var heading = $"**{EscapeMarkdown(ApprovalDisplay.Cut(ApprovalDisplay.Plain(ApprovalTexts.Heading(question), multiline: false), MaxHeadingLength))}**";
        var room = MaxMessageLength - heading.Length - FenceOpen.Length - FenceClose.Length - s_outcomeRoom;
        var arguments = ApprovalDisplay.Cut(FenceSafe(ApprovalDisplay.Plain(question.Arguments, multiline: true)), room);
        var text = new StringBuilder(heading).Append(FenceOpen).Append(arguments).Append(FenceClose);
        if (outcome is { } decision)
            text.Append('\n').Append(ApprovalTexts.Outcome(decision));
        return text.ToString();
    }

    /// <summary>One action row: Approve and Deny, each carrying the prompt id.</summary>
    public static JsonArray Buttons(string promptId) =>
    [
        new JsonObject
        {
            ["type"] = 1,
            ["components"] = new JsonArray(
                Button(ApprovalTexts.Approve, ButtonSuccess, CustomId(promptId, approve: true)),
                Button(ApprovalTexts.Deny, ButtonDanger, CustomId(promptId, approve: false))),
        },
    ];

    public static string CustomId(string promptId, bool approve)
    {
        var id = $"{Prefix}{promptId}:{(approve ? 'y' : 'n')}";
        return id.Length <= MaxCustomIdLength ? id : throw new ArgumentException("The prompt id does not fit a custom_id.", nameof(promptId));
    }

    /// <summary>Reads a button's custom_id; false for anything this bot did not make.</summary>
    public static bool TryParse(string customId, out string promptId, out bool approve)
    {
        (promptId, approve) = ("", false);
        if (!customId.StartsWith(Prefix, StringComparison.Ordinal) || customId.Length > MaxCustomIdLength)
            return false;
        var tail = customId.AsSpan(Prefix.Length);
        var colon = tail.LastIndexOf(':');
        if (colon <= 0 || tail[(colon + 1)..] is not ("y" or "n") || tail[..colon].ContainsAny(":| "))
            return false;
        (promptId, approve) = (tail[..colon].ToString(), tail[colon + 1] == 'y');
        return true;
    }

    private static JsonObject Button(string label, int style, string customId) =>
        new() { ["type"] = 2, ["style"] = style, ["label"] = label, ["custom_id"] = customId };

    // No run of three backticks can form inside the block, so nothing in the arguments closes it.
    private static string FenceSafe(string text) => text.Replace("`", "`\u200B", StringComparison.Ordinal);

    // Everything Discord's Markdown (and its mention and emoji syntax) would act on shows as written.
    private static string EscapeMarkdown(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '<' or '#' or '-' or '[' or ']' or '(' or ')' or '@' or ':')
                escaped.Append('\\');
            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
