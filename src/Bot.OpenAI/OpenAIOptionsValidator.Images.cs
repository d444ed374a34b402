using System.Text.RegularExpressions;

namespace Bot.OpenAI;

internal sealed partial class OpenAIOptionsValidator
{
    private static readonly string[] s_imageQualities = ["auto", "low", "medium", "high"];

    // Checked whether or not the tool is on, so that turning it on later does not reveal an old mistake.
    private static void ValidateImages(OpenAIOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.ImageModel))
            errors.Add($"OpenAI:ImageModel: missing (the default is {OpenAIOptions.DefaultImageModel}).");
        if (!string.Equals(options.ImageSize, "auto", StringComparison.Ordinal) && !ImageSizePattern().IsMatch(options.ImageSize ?? ""))
            errors.Add($"OpenAI:ImageSize: '{options.ImageSize}' is not auto or WIDTHxHEIGHT (such as 1024x1024).");
        if (!s_imageQualities.Contains(options.ImageQuality, StringComparer.Ordinal))
            errors.Add($"OpenAI:ImageQuality: '{options.ImageQuality}' is not one of auto, low, medium, high.");
        if (options.ImagePartials is < 0 or > 3)
            errors.Add("OpenAI:ImagePartials: must be between 0 and 3.");
    }

    [GeneratedRegex("^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$")]
    private static partial Regex ImageSizePattern();
}
