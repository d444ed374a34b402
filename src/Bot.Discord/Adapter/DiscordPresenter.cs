using Bot.Core.Replies;

namespace Bot.Discord.Adapter;

/// <summary>
/// Lays a reply out for Discord: Markdown with <c>[n]</c> markers where the answer cites a source, numbered footnotes
/// in the final message (a file by name, a web page as a masked link <c>[title](&lt;url&gt;)</c> whose embed is
/// suppressed), and the tool status as an italic line while the answer is written. The Stop button is the writer's,
/// on a live answer's first message.
/// </summary>
internal sealed class DiscordPresenter : IReplyPresenter
{
    public static DiscordPresenter Instance { get; } = new();

    public ReplyPresentation Present(ReplySnapshot snapshot) =>
        ReplyMarkdown.Editable(snapshot, citation => ReplyMarkdown.LinkedSource(citation, suppressPreview: true));
}
