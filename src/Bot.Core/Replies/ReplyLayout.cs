using Bot.Core.Channels;

namespace Bot.Core.Replies;

/// <summary>Lays a reply out into the messages a channel shows, within its limits.</summary>
internal static class ReplyLayout
{
    /// <summary>The text of each message for <paramref name="view"/>; empty when there is nothing to show yet.</summary>
    public static IReadOnlyList<string> Messages(ReplyView view, ChannelLimits limits)
    {
        if (limits.AppendOnly)
            return view.Body.Length == 0 ? [] : [view.Body];

        var messages = view.Body.Length == 0 ? [] : new List<string>(MessageSplitter.Split(view.Body, limits.MaxMessageCharacters));
        if (view.Status is null)
            return messages;

        var statusLine = $"_{view.Status}_";
        if (messages.Count == 0)
            return [statusLine];
        if (messages[^1].Length + 2 + statusLine.Length <= limits.MaxMessageCharacters)
            messages[^1] = messages[^1] + "\n\n" + statusLine;
        return messages;
    }
}
