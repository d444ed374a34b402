using System.ComponentModel.DataAnnotations;
using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>How conversations run (configuration section <c>Conversations</c>).</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Conversations";

    /// <summary>Most turns running at once across all conversations (each conversation runs one at a time).</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentTurns { get; set; } = 64;

    /// <summary>Most waiting messages coalesced into one turn; the rest wait for the next.</summary>
    [Range(1, 1000)]
    public int MaxMessagesPerTurn { get; set; } = 50;

    /// <summary>Longest a turn may run before it is stopped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest a function tool may run before its output becomes a timeout error.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a reset deletes the remote conversation, files and vector store the bot created.</summary>
    public bool DeleteRemoteObjectsOnReset { get; set; } = true;

    /// <summary>
    /// How long after a reset failed (or was cut short) to delete a remote object the sweep tries again; each further
    /// try waits twice as long as the one before.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RemoteDeleteRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most attempts to delete one remote object, the reset's own included; then the sweep gives up and logs it.</summary>
    [Range(1, 30)]
    public int RemoteDeleteAttempts { get; set; } = 10;

    /// <summary>The retry schedule these settings describe.</summary>
    public RetrySchedule RemoteDeleteSchedule => new(RemoteDeleteRetryDelay, RemoteDeleteAttempts);
}
