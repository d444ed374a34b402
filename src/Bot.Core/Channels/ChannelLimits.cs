namespace Bot.Core.Channels;

/// <summary>What a channel allows a reply to do.</summary>
/// <param name="MaxMessageCharacters">Longest text one message may hold; longer replies continue in a new message.</param>
/// <param name="MinEditInterval">Shortest time between two writes to the same message.</param>
/// <param name="MaxUploadBytes">Largest file the channel accepts; bigger output files become a one-line note.</param>
public sealed record ChannelLimits(
    int MaxMessageCharacters,
    TimeSpan MinEditInterval,
    long MaxUploadBytes)
{
    /// <summary>Limits for a channel with no practical limits (tests, benchmarks).</summary>
    public static ChannelLimits Unlimited { get; } = new(int.MaxValue, TimeSpan.Zero, long.MaxValue);
}
