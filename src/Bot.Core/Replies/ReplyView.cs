namespace Bot.Core.Replies;

/// <summary>What a reply shows at one moment: its text and the current tool status, if any.</summary>
public sealed record ReplyView(string Body, string? Status);
