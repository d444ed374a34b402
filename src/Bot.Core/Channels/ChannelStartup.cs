using Bot.Core.Conversations;

namespace Bot.Core.Channels;

/// <summary>
/// Brings a channel into service, the same way for every adapter: registered with the core first, so that what the
/// recovery does (re-queued turns, notices about interrupted ones) can write through it, then the recovery of what the
/// last run left unanswered on that channel. Each adapter calls it once its own connection is ready.
/// </summary>
public sealed class ChannelStartup(ChannelRegistry registry, ConversationService conversations)
{
    public async Task StartAsync(IChatChannel channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        registry.Register(channel);
        await conversations.RecoverAsync(channel.Name, cancellationToken).ConfigureAwait(false);
    }
}
