using Bot.Core.Channels;
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

    public async Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default)
    {
        var (url, withToken) = AttachmentSource.Parse(attachment.Source);
        if (!hosts.IsAllowed(url))
            throw new InvalidOperationException($"Downloads from {url.Host} are not allowed (Teams:AttachmentHosts).");
        if (!withToken)
            return await DownloadAsync(url, cancellationToken).ConfigureAwait(false);

        var response = await connector.GetAttachmentAsync(url, cancellationToken).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    // A pre-authorised SharePoint link may redirect; every hop must be to an allowed host (and no token goes along).
    private async Task<Stream> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            var response = await hosts.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location && hop < 3)
            {
                response.Dispose();
                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (!hosts.IsAllowed(url))
                    throw new InvalidOperationException($"The download redirected to {url.Host}, which is not allowed (Teams:AttachmentHosts).");
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                response.Dispose();
                throw new HttpRequestException($"The download answered {(int)response.StatusCode}.", null, response.StatusCode);
            }

            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Keeps the response alive as long as its body is read.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
