using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// When a failed deletion of a remote object is tried again: <see cref="FirstDelay"/> after the first attempt, then
/// twice as long after each further one, <see cref="MaxAttempts"/> attempts in all.
/// </summary>
public sealed record RetrySchedule(TimeSpan FirstDelay, int MaxAttempts)
{
    // However the settings multiply out, a retry is never put off further than this.
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromDays(7);

    /// <summary>
    /// When the attempt after attempt number <paramref name="attempt"/> (1 for the first), which started at
    /// <paramref name="startedAt"/>, may start; null when that was the last attempt.
    /// </summary>
    public DateTimeOffset? NextAfter(int attempt, DateTimeOffset startedAt)
    {
        if (attempt >= MaxAttempts)
            return null;
        var doublings = Math.Clamp(attempt - 1, 0, 20);
        var delay = TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks * (1L << doublings), s_longestDelay.Ticks));
        return startedAt + delay;
    }
}

/// <summary>A remote object whose deletion is due, claimed for one attempt (already counted in <see cref="Attempt"/>).</summary>
/// <param name="Conversation">The chat conversation that owned it.</param>
/// <param name="BackendKind">The backend that created it, and so can delete it.</param>
/// <param name="Object">The object.</param>
/// <param name="Attempt">Which attempt this is (1 was the reset's own).</param>
/// <param name="NextAttemptAt">When the next attempt may start should this one fail; null when this is the last.</param>
public sealed record RemoteDeletion(ConversationKey Conversation, string BackendKind, RemoteObjectRecord Object, int Attempt,
    DateTimeOffset? NextAttemptAt);
