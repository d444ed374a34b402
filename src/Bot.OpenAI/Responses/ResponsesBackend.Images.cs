using System.Globalization;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>The <c>image_generation</c> tool as configured (<c>OpenAI:ImageModel</c>, <c>ImageSize</c>, <c>ImageQuality</c>, <c>ImagePartials</c>).</summary>
public sealed partial class ResponsesBackend
{
    // {"type":"image_generation","model":"gpt-image-1","quality":"auto","size":"auto","partial_images":1}; the image
    // comes back as PNG, the tool's default format.
    private ResponseTool ImageGenerationTool() => ResponseTool.CreateImageGenerationTool(
        Options.ImageModel,
        new ImageGenerationToolQuality(Options.ImageQuality),
        ImageSize(Options.ImageSize),
        partialImageCount: Options.ImagePartials);

    // "auto" or WIDTHxHEIGHT (the options validator has checked the shape).
    private static ImageGenerationToolSize ImageSize(string size)
    {
        var x = size.IndexOf('x', StringComparison.Ordinal);
        return x < 0
            ? ImageGenerationToolSize.Auto
            : new ImageGenerationToolSize(int.Parse(size[..x], CultureInfo.InvariantCulture), int.Parse(size[(x + 1)..], CultureInfo.InvariantCulture));
    }
}
