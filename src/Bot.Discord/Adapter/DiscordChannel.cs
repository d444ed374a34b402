using System.Net;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Adapter;

/// <summary>
/// Discord as a core chat channel: reply writers that post into Discord channels and threads, and attachment
/// downloads from the allow-listed CDN hosts only (no bot token is ever sent there).
/// </summary>
internal sealed class DiscordChannel : IChatChannel, IDisposable
{
    public const string ChannelName = "discord";

    private readonly DiscordRestClient _rest;
    private readonly DiscordOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _downloads;
    private readonly ChannelLimits _limits;
    private readonly TypingGate _typing;
    private readonly RunningReplies _replies;

    public DiscordChannel(DiscordRestClient rest, DiscordOptions options, RunningReplies replies, TimeProvider time, ILogger<DiscordChannel> logger,
        HttpMessageHandler? downloadHandler = null)
    {
        _replies = replies;
        _typing = new TypingGate(time);
        _rest = rest;
        _options = options;
        _logger = logger;
        _downloads = new HttpClient(downloadHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(5) };
        _limits = new ChannelLimits(2000, options.EditInterval, options.MaxUploadBytes);
    }

    public string Name => ChannelName;

    public IReplyWriter CreateReplyWriter(string replyAddress)
    {
        var writer = new DiscordReplyWriter(_rest, ReplyAddress.Parse(replyAddress), _limits, _typing, _options.SentMessageFlags, _replies);
        // The core creates a writer when a turn starts (and for the notices of a restart's recovery, which replace no
        // running reply: the next turn's writer takes their place).
        _replies.Started(writer);
        return writer;
    }

    public async Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(attachment.Source, UriKind.Absolute, out var url) || !IsAllowed(url))
        {
            var host = url?.Host ?? attachment.Source;
            Log.AttachmentHostRefused(_logger, attachment.FileName, host);
            throw new InvalidOperationException($"The attachment's host {host} is not in Discord:AttachmentHosts.");
        }

        var response = await _downloads.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            throw new HttpRequestException($"The CDN answered {(int)response.StatusCode} for {attachment.FileName}.", null, response.StatusCode);
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _downloads.Dispose();

    // https to a listed host (or host:port); plain http only to a listed loopback host (a local test CDN).
    private bool IsAllowed(Uri url)
    {
        var listed = _options.EffectiveAttachmentHosts.Any(h =>
            string.Equals(h, url.Host, StringComparison.OrdinalIgnoreCase) || string.Equals(h, url.Authority, StringComparison.OrdinalIgnoreCase));
        return listed && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));
    }
}
