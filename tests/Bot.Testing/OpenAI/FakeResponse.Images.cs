namespace Bot.Testing.OpenAI;

/// <summary>Image generation steps.</summary>
public sealed partial class FakeResponse
{
    /// <summary>
    /// An `image_generation_call` that draws <paramref name="image"/>: `in_progress`, `generating`, one
    /// `partial_image` event per entry of <paramref name="partialImages"/> (in order, indexes from 0), `completed`, and
    /// the item done with the image as its base64 `result`.
    /// </summary>
    public FakeResponse ImageGeneration(byte[] image, params byte[][] partialImages)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Add(new ImageGenerationStep(Convert.ToBase64String(image), partialImages, FakeImageOutcome.Completed));
    }

    /// <summary>
    /// Like <see cref="ImageGeneration(byte[], byte[][])"/>, but after each partial image the fake waits for
    /// <paramref name="afterPartialImage"/> (given the partial image's index) before it goes on: a test can check what
    /// the client shows at each step.
    /// </summary>
    public FakeResponse ImageGeneration(byte[] image, Func<int, Task> afterPartialImage, params byte[][] partialImages)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(afterPartialImage);
        return Add(new ImageGenerationStep(Convert.ToBase64String(image), partialImages, FakeImageOutcome.Completed, afterPartialImage));
    }

    /// <summary>An `image_generation_call` whose `result` is <paramref name="result"/> as given (such as text that is not base64).</summary>
    public FakeResponse ImageGenerationResult(string result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Add(new ImageGenerationStep(result, [], FakeImageOutcome.Completed));
    }

    /// <summary>
    /// An `image_generation_call` that fails: no `completed` event, and the item done with status `failed` and a null
    /// `result`, as the service reports a drawing that did not work.
    /// </summary>
    public FakeResponse ImageGenerationFailed(params byte[][] partialImages) =>
        Add(new ImageGenerationStep(null, partialImages, FakeImageOutcome.Failed));

    /// <summary>
    /// An `image_generation_call` that starts (`in_progress`, `generating`, the partial images) and never finishes:
    /// follow it with <see cref="ErrorEvent"/> for a drawing the service gives up on with an `error` event.
    /// </summary>
    public FakeResponse ImageGenerationInterrupted(params byte[][] partialImages) =>
        Add(new ImageGenerationStep(null, partialImages, FakeImageOutcome.Interrupted));
}

internal enum FakeImageOutcome
{
    Completed,
    Failed,
    Interrupted,
}

/// <summary>A drawing: its `result` (base64, or whatever a test wants sent), the partial images before it, how it ends.</summary>
internal sealed record ImageGenerationStep(string? Result, IReadOnlyList<byte[]> PartialImages, FakeImageOutcome Outcome,
    Func<int, Task>? AfterPartialImage = null) : FakeStep;
