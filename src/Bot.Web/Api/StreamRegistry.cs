using Microsoft.Extensions.Options;

namespace Bot.Web.Api;

/// <summary>
/// The event streams each visitor has open. Past <c>Web:MaxStreamsPerVisitor</c> the oldest one is told to close
/// (it ends with a <c>closed</c> event, and the page does not reconnect), so a visitor's newest tab always works and
/// nobody can pile up streams. Visitors with no stream open take no memory.
/// </summary>
internal sealed class StreamRegistry(IOptions<WebChatOptions> options)
{
    private readonly int _max = options.Value.MaxStreamsPerVisitor;
    private readonly Dictionary<string, List<CancellationTokenSource>> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Registers a new stream of the visitor; its token is cancelled when a newer stream pushes it out.</summary>
    public Registration Open(string visitor)
    {
        var superseded = new CancellationTokenSource();
        CancellationTokenSource? oldest = null;
        lock (_lock)
        {
            if (!_open.TryGetValue(visitor, out var streams))
                _open[visitor] = streams = [];
            if (streams.Count >= _max)
            {
                oldest = streams[0];
                streams.RemoveAt(0);
            }

            streams.Add(superseded);
        }

        // Outside the lock: cancelling runs the old stream's callbacks. These sources have no timer, so they are not disposed
        // (a stream may end and a newer one cancel its source at the same moment).
        oldest?.Cancel();
        return new Registration(this, visitor, superseded);
    }

    /// <summary>How many streams the visitor has open.</summary>
    public int Count(string visitor)
    {
        lock (_lock)
            return _open.TryGetValue(visitor, out var streams) ? streams.Count : 0;
    }

    private void Close(string visitor, CancellationTokenSource superseded)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(visitor, out var streams) && streams.Remove(superseded) && streams.Count == 0)
                _open.Remove(visitor);
        }
    }

    /// <summary>One open stream; disposing it takes it off the visitor's list.</summary>
    public sealed class Registration(StreamRegistry registry, string visitor, CancellationTokenSource superseded) : IDisposable
    {
        /// <summary>Cancelled when a newer stream of the same visitor replaced this one.</summary>
        public CancellationToken Superseded => superseded.Token;

        public void Dispose() => registry.Close(visitor, superseded);
    }
}
