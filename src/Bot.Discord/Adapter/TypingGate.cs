using Bot.Core.Infrastructure;

namespace Bot.Discord.Adapter;

/// <summary>
/// One typing indicator per Discord channel at a time: Discord shows it for about 10 s for the whole channel,
/// so the replies being prepared in one channel share it instead of each spending a request of the budget.
/// </summary>
internal sealed class TypingGate(TimeProvider time)
{
    private static readonly TimeSpan s_shown = TimeSpan.FromSeconds(8);

    // A channel is remembered while its indicator shows; past the bound, the oldest indicator is forgotten first.
    private readonly ExpiringSet<string> _showing = new(s_shown, 10_000, time, StringComparer.Ordinal);

    /// <summary>True when the channel's indicator needs (re)sending now; the caller then sends it.</summary>
    public bool TryTake(string channelId) => _showing.TryAdd(channelId);
}
