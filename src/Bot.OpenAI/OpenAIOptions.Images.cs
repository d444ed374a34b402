namespace Bot.OpenAI;

/// <summary>Image generation (Responses API): the <c>image_generation</c> tool's settings.</summary>
public sealed partial class OpenAIOptions
{
    /// <summary>The default of <see cref="ImageModel"/>: the tool's own default in OpenAI's specification.</summary>
    public const string DefaultImageModel = "gpt-image-1";

    /// <summary>The default of <see cref="ImagePartials"/>.</summary>
    public const int DefaultImagePartials = 1;

    /// <summary>
    /// The largest generated image the bot takes from the stream, decoded, in bytes: 20 MB, or
    /// <see cref="MaxOutputFileBytes"/> when that is lower. A bigger one becomes a note.
    /// </summary>
    public const long MaxGeneratedImageBytes = 20L * 1024 * 1024;

    /// <summary>The image model the <c>image_generation</c> tool draws with (<c>OpenAI:ImageModel</c>).</summary>
    public string ImageModel { get; set; } = DefaultImageModel;

    /// <summary><c>auto</c> (default) or <c>WIDTHxHEIGHT</c>, such as <c>1024x1024</c>, <c>1536x1024</c>, <c>1024x1536</c>.</summary>
    public string ImageSize { get; set; } = "auto";

    /// <summary><c>auto</c> (default), <c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    public string ImageQuality { get; set; } = "auto";

    /// <summary>
    /// Partial images streamed while an image is drawn, 0 to 3 (default 1). The web chat shows them; Discord, Teams and
    /// the terminal show only the final image. Each one costs extra output tokens.
    /// </summary>
    public int ImagePartials { get; set; } = DefaultImagePartials;

    /// <summary>What an image may decode to: the lower of <see cref="MaxGeneratedImageBytes"/> and <see cref="MaxOutputFileBytes"/>.</summary>
    internal long ImageByteLimit => Math.Min(MaxGeneratedImageBytes, MaxOutputFileBytes);
}

public sealed partial class OpenAIToolOptions
{
    /// <summary>
    /// Responses API: the <c>image_generation</c> tool; the image is posted as a file. Off by default: it is billed per image.
    /// </summary>
    public bool ImageGeneration { get; set; }
}
