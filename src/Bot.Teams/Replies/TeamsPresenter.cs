using Bot.Core.Replies;

namespace Bot.Teams.Replies;

/// <summary>
/// Lays a reply out for Teams. In a group chat or channel (or a personal chat without streaming) the message is
/// Markdown with <c>[n]</c> markers, footnotes in the final message and the tool status as an italic line. When the reply
/// is a personal-chat stream, the status goes apart (informative updates), the streamed text carries no markers (it must
/// only grow) and the sources become citation entities of the final message (<see cref="OutgoingActivities.CitationEntity"/>)
/// instead of footnotes.
/// </summary>
/// <param name="streaming">True while the reply goes out as a stream; null for a writer that never streams.</param>
internal sealed class TeamsPresenter(Func<bool>? streaming = null) : IReplyPresenter
{
    /// <summary>The layout of a reply that is not streamed.</summary>
    public static TeamsPresenter Plain { get; } = new();

    public ReplyPresentation Present(ReplySnapshot snapshot)
    {
        if (streaming?.Invoke() == true)
            return new ReplyPresentation(ReplyMarkdown.Body(snapshot, inlineMarkers: snapshot.IsFinal).ToString(), Status: snapshot.Status);

        return ReplyMarkdown.Editable(snapshot, citation => ReplyMarkdown.LinkedSource(citation, suppressPreview: false));
    }
}
