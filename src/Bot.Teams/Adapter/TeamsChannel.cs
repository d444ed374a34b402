using Bot.Core.Conversations;
using Bot.Teams.Connector;
using Bot.Teams.Replies;

namespace Bot.Teams.Adapter;

/// <summary>Microsoft Teams as a chat channel: reply writers per scope and attachment downloads from allowed hosts.</summary>
internal sealed class TeamsChannel(ConnectorClient connector, StreamTracker streams, AttachmentHosts hosts, TeamsOptions options,
    ConversationService conversations) : IChatChannel
{
    public const string ChannelName = "teams";

    public string Name => ChannelName;

    public IReplyWriter CreateReplyWriter(string replyAddress)
    {
        var address = ReplyAddress.Parse(replyAddress);
        if (!address.IsPersonal || !options.Streaming)
            return new TeamsReplyWriter(connector, address, options);
        return new TeamsStreamingWriter(connector, streams, address, options, () => conversations.Stop(address.Key));
    }

    // The bot's token goes only to the Connector that sent the activity (the connector checks the host), never along
    // a redirect and never to SharePoint's pre-authorised links.
    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default)
    {
        var (url, withToken) = AttachmentSource.Parse(attachment.Source);
        return hosts.Downloads.OpenAsync(url, withToken ? connector.AuthorizeAsync : null, cancellationToken: cancellationToken);
    }
}
