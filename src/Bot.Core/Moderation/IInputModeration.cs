namespace Bot.Core.Moderation;

/// <summary>
/// Classifies a user's input before a turn (implemented by the OpenAI adapter on its moderation endpoint). Throws
/// <see cref="ModerationUnavailableException"/> when the check could not be made.
/// </summary>
public interface IInputModeration
{
    /// <summary>Checks each of <paramref name="texts"/> with <paramref name="model"/> in one call; one verdict per text, in order.</summary>
    Task<IReadOnlyList<ModerationVerdict>> CheckAsync(IReadOnlyList<string> texts, string model, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of a check: flagged or not, and the names of the flagged categories (e.g. "harassment/threatening").</summary>
public sealed record ModerationVerdict(bool Flagged, IReadOnlyList<string> Categories)
{
    /// <summary>Nothing flagged.</summary>
    public static ModerationVerdict Clean { get; } = new(false, []);
}

/// <summary>The moderation check could not be made (endpoint unreachable, an error status, a timeout).</summary>
public sealed class ModerationUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
