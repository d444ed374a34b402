namespace Bot.Core.Moderation;

/// <summary>
/// Classifies a user's input before a turn (implemented by the OpenAI adapter on its moderation endpoint). Throws
/// <see cref="ModerationUnavailableException"/> when the check could not be made.
/// </summary>
public interface IInputModeration
{
    /// <summary>Checks each of <paramref name="inputs"/> with <paramref name="model"/>; one verdict per input, in order.</summary>
    Task<IReadOnlyList<ModerationVerdict>> CheckAsync(IReadOnlyList<ModerationInput> inputs, string model, CancellationToken cancellationToken = default);
}

/// <summary>
/// One thing to judge: a message's text, or an image attached to it (its bytes and media type, such as image/png), or
/// both together.
/// </summary>
public sealed record ModerationInput(string? Text, ReadOnlyMemory<byte>? Image = null, string? ImageMediaType = null)
{
    /// <summary>A text alone.</summary>
    public static ModerationInput OfText(string text) => new(text);

    /// <summary>An image alone.</summary>
    public static ModerationInput OfImage(ReadOnlyMemory<byte> bytes, string mediaType) => new(null, bytes, mediaType);

    /// <summary>True when the input carries an image.</summary>
    public bool HasImage => Image is not null && ImageMediaType is not null;
}

/// <summary>The outcome of a check: flagged or not, and the names of the flagged categories (e.g. "harassment/threatening").</summary>
public sealed record ModerationVerdict(bool Flagged, IReadOnlyList<string> Categories)
{
    /// <summary>Nothing flagged.</summary>
    public static ModerationVerdict Clean { get; } = new(false, []);
}

/// <summary>The moderation check could not be made (endpoint unreachable, an error status, a timeout).</summary>
public sealed class ModerationUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
