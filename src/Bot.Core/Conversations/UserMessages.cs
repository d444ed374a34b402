namespace Bot.Core.Conversations;

/// <summary>The short sentences the bot says when something goes wrong. Details go to the log, never here.</summary>
internal static class UserMessages
{
    public const string Empty = "I got an empty message. Send me some text or a file and I'll answer.";

    public const string NothingLeft = "None of the attached files could be used, so there was nothing to answer.";

    public const string Stopped = "⏹️ Stopped.";

    public const string StoppedByReset = "⏹️ Stopped: the conversation was reset.";

    public const string ShuttingDown = "⚠️ The bot is restarting, so this answer was cut short. Please send your message again in a moment.";

    public const string TimedOut = "⚠️ This answer took too long and was stopped. Please try again, perhaps with a smaller request.";

    public const string Unexpected = "⚠️ Something went wrong while answering. Please try again.";

    public const string Interrupted = "⚠️ I was restarted while answering your last message and couldn't finish it. Please send it again.";

    public const string ContinuesAfterRestart = "⏸️ The bot is restarting; this answer continues here right after the restart.";

    /// <summary>
    /// A turn finished after a restart died while a function tool that is not run twice was running: names the tool (its
    /// name comes from the bot's own tool registry, shown only when it is a plain function name).
    /// </summary>
    public static string ToolStepLost(string? tool) => tool is { Length: > 0 and <= 64 } && tool.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
        ? $"⚠️ I was restarted while the tool `{tool}` was running for this answer, and I don't run that step twice. Please send your message again."
        : Failure(FailureKind.ToolStepLost);

    public static string TooLong(int length, int limit) =>
        $"⚠️ Your message is {length:N0} characters long, over the {limit:N0} I can send to the assistant. Please shorten it, or attach it as a .txt file.";

    public static string BackendSwitched(string oldKind, string newKind) =>
        $"ℹ️ This conversation was on the {oldKind} backend; the bot now uses {newKind}, so it starts a new conversation.";

    public static string Incomplete(IncompleteReason reason) => reason switch
    {
        IncompleteReason.LengthLimit => "⚠️ The answer stopped early: it reached the length limit.",
        IncompleteReason.ContentFilter => "⚠️ The answer stopped early: the content filter ended it.",
        _ => "⚠️ The answer stopped early and is incomplete.",
    };

    public static string Failure(FailureKind kind) => kind switch
    {
        FailureKind.Busy => "⚠️ The assistant service is busy right now. Please try again in a minute.",
        FailureKind.StreamCut => "⚠️ The answer was interrupted before it finished, so it may be incomplete. Please ask again.",
        FailureKind.Unreachable => "⚠️ I couldn't reach the assistant service. Please try again in a moment.",
        FailureKind.Unauthorized => "⚠️ The assistant service refused the bot's credentials. An operator needs to check the configuration.",
        FailureKind.Rejected => "⚠️ The assistant service refused this request. Please rephrase it or try different files.",
        FailureKind.QuotaExceeded => "⚠️ The bot has used up its assistant quota. An operator needs to check the billing.",
        FailureKind.Misconfigured => "⚠️ The assistant service doesn't offer the model, assistant or API the bot is set up to use. An operator needs to check the configuration.",
        FailureKind.ContextTooLong => "⚠️ This conversation has grown too long for the assistant to go on; send /reset to start a fresh one.",
        FailureKind.ToolStepLost => "⚠️ I was restarted while a tool was running for this answer, and I don't run such a step twice. Please send your message again.",
        _ => "⚠️ The assistant ran into an error and couldn't finish this answer. Please try again.",
    };
}
