using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

internal sealed partial class ResponseValidator
{
    private static readonly string[] s_qualities = ["low", "medium", "high", "auto"];
    private static readonly string[] s_formats = ["png", "webp", "jpeg"];

    /// <summary>The `image_generation` tool as ImageGenTool allows it: quality, output_format and partial_images (0–3) in range, a size of auto or WxH.</summary>
    private static async Task<bool> ImageToolValidAsync(HttpContext context, ParsedResponseRequest request)
    {
        if (request.Public.ImageGeneration is not { } tool)
        {
            return true;
        }

        var index = request.Public.ToolTypes.ToList().IndexOf("image_generation");
        string? problem = null, param = null;
        if (tool.Quality is { } quality && !s_qualities.Contains(quality))
        {
            (problem, param) = ($"Invalid value: '{quality}'. Supported values are: 'low', 'medium', 'high', and 'auto'.", "quality");
        }
        else if (tool.OutputFormat is { } format && !s_formats.Contains(format))
        {
            (problem, param) = ($"Invalid value: '{format}'. Supported values are: 'png', 'webp', and 'jpeg'.", "output_format");
        }
        else if (tool.PartialImages is < 0 or > 3)
        {
            (problem, param) = ($"Invalid 'partial_images': integer above maximum value. Expected a value between 0 and 3, but got {tool.PartialImages} instead.", "partial_images");
        }
        else if (tool.Size is { } size && size != "auto" && !IsSize(size))
        {
            (problem, param) = ($"Invalid value: '{size}'. Supported values are 'auto' and sizes WIDTHxHEIGHT.", "size");
        }

        if (problem is null)
        {
            return true;
        }

        await OpenAIHttp.BadRequestAsync(context, problem, "invalid_value", $"tools[{index}].{param}");
        return false;
    }

    private static bool IsSize(string size)
    {
        var parts = size.Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], out var width) && int.TryParse(parts[1], out var height) && width > 0 && height > 0;
    }
}
