namespace Bot.Core.Replies;

public sealed partial class ProgressiveReply
{
    /// <summary>
    /// The text of each message for a presentation: the body split at the channel's limit (code fences kept whole), the
    /// trailer under the last message where it fits. Empty when there is nothing to show yet.
    /// </summary>
    internal static IReadOnlyList<string> Layout(ReplyPresentation presentation, ChannelLimits limits)
    {
        var body = presentation.Body;
        var messages = body.Length == 0 ? [] : new List<string>(MessageSplitter.Split(body, limits.MaxMessageCharacters));
        if (presentation.Trailer is not { Length: > 0 } trailer)
            return messages;
        if (messages.Count == 0)
            return [trailer];
        if ((long)messages[^1].Length + 2 + trailer.Length <= limits.MaxMessageCharacters)
            messages[^1] = messages[^1] + "\n\n" + trailer;
        return messages;
    }
}
