namespace Bot.Core.Channels;

/// <summary>
/// The channels running in this process. Adapters register themselves when they start, so that the
/// core can write replies (also for messages recovered after a restart) without knowing any platform.
/// </summary>
public sealed class ChannelRegistry
{
    private readonly Dictionary<string, IChatChannel> _channels = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Registers a running channel under its name (replacing an earlier registration).</summary>
    public void Register(IChatChannel channel)
    {
        lock (_lock)
            _channels[channel.Name] = channel;
    }

    /// <summary>The channel with that name, or null if it is not running.</summary>
    public IChatChannel? Find(string name)
    {
        lock (_lock)
            return _channels.GetValueOrDefault(name);
    }
}
