using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>
/// The `image_generation` tool of a request (ImageGenTool): each field as sent, null when left out (the service then
/// uses its default: model gpt-image-1, quality and size auto, output_format png, partial_images 0).
/// </summary>
public sealed record FakeImageGenerationTool(string? Model, string? Quality, string? Size, string? OutputFormat, int? PartialImages, string Json)
{
    internal static FakeImageGenerationTool Read(JsonElement tool)
    {
        var partials = ParsedResponseRequest.Property(tool, "partial_images");
        return new FakeImageGenerationTool(
            ParsedResponseRequest.String(tool, "model"),
            ParsedResponseRequest.String(tool, "quality"),
            ParsedResponseRequest.String(tool, "size"),
            ParsedResponseRequest.String(tool, "output_format"),
            partials.ValueKind == JsonValueKind.Number && partials.TryGetInt32(out var n) ? n : null,
            tool.GetRawText());
    }
}
