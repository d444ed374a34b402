using System.Collections.Concurrent;
using Bot.Teams.Adapter;
using Bot.Teams.Connector;

namespace Bot.Teams.Replies;

/// <summary>
/// The open stream of each personal chat (Teams allows one at a time), by the conversation's tenant-bound key. The endpoint opens one with an informative
/// update the moment a message arrives; the turn's reply writer then takes it over, or opens its own.
/// </summary>
internal sealed class StreamTracker(ConnectorClient connector, TeamsOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TeamsStream> _open = new(StringComparer.Ordinal);

    /// <summary>A new stream for the conversation, or null when one is already open there.</summary>
    public TeamsStream? TryOpen(ReplyAddress address)
    {
        var stream = new TeamsStream(connector, address, options, time);
        while (true)
        {
            if (_open.TryAdd(address.KeyId, stream))
                return stream;
            if (!_open.TryGetValue(address.KeyId, out var existing))
                continue;
            // A stream nobody took (its turn never started) is dropped once Teams would have ended it anyway.
            if (existing.IsBound || time.GetUtcNow() - existing.CreatedAt < options.StreamCutoff)
                return null;
            _open.TryRemove(new KeyValuePair<string, TeamsStream>(address.KeyId, existing));
        }
    }

    /// <summary>The conversation's open stream if no writer owns it yet (the endpoint opened it), else null.</summary>
    public TeamsStream? TryTakeOpen(ReplyAddress address) =>
        _open.TryGetValue(address.KeyId, out var existing) && existing.TryBind() ? existing : null;

    /// <summary>The conversation's open stream if no writer owns it yet, else a new one; the caller owns it.</summary>
    public TeamsStream Take(ReplyAddress address)
    {
        if (_open.TryGetValue(address.KeyId, out var existing) && existing.TryBind())
            return existing;
        var stream = new TeamsStream(connector, address, options, time);
        stream.TryBind();
        _open[address.KeyId] = stream;
        return stream;
    }

    /// <summary>Forgets a stream that ended.</summary>
    public void Close(TeamsStream stream) =>
        _open.TryRemove(new KeyValuePair<string, TeamsStream>(stream.Address.KeyId, stream));
}
