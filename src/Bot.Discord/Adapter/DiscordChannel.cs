using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Net;
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
    private readonly HttpClient _http;
    private readonly AllowListedDownloader _downloads;
    private readonly ChannelLimits _limits;
    private readonly TypingGate _typing;
    private readonly RunningReplies _replies;
    private readonly PostedApprovals _approvals;

    public DiscordChannel(DiscordRestClient rest, DiscordOptions options, RunningReplies replies, PostedApprovals approvals, TimeProvider time,
        ILogger<DiscordChannel> logger, HttpMessageHandler? downloadHandler = null)
    {
        _replies = replies;
        _approvals = approvals;
        _typing = new TypingGate(time);
        _rest = rest;
        _options = options;
        _logger = logger;
        _http = new HttpClient(downloadHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(5) };
        _downloads = new AllowListedDownloader(_http, new HostAllowList(options.EffectiveAttachmentHosts, "Discord:AttachmentHosts"));
        _limits = new ChannelLimits(2000, options.EditInterval, options.MaxUploadBytes);
    }

    public string Name => ChannelName;

    public IReplyWriter CreateReplyWriter(string replyAddress)
    {
        var writer = new DiscordReplyWriter(_rest, ReplyAddress.Parse(replyAddress), _limits, _typing, _options.SentMessageFlags, _replies, _approvals);
        // The core creates a writer when a turn starts (and for the notices of a restart's recovery, which replace no
        // running reply: the next turn's writer takes their place).
        _replies.Started(writer);
        return writer;
    }

    public async Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(attachment.Source, UriKind.Absolute, out var url))
        {
            Log.AttachmentHostRefused(_logger, attachment.FileName, attachment.Source);
            throw new InvalidOperationException($"The attachment's address {attachment.Source} is not a URL.");
        }

        try
        {
            return await _downloads.OpenAsync(url, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DownloadRefusedException ex)
        {
            Log.AttachmentHostRefused(_logger, attachment.FileName, ex.Url.Host);
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
