using System.Security.Cryptography;
using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>
/// An `image_generation_call` output item (ImageGenToolCall): `id`, `type`, `status` (`in_progress` while it streams,
/// then `completed` or `failed`) and `result`, the image in base64, null until it is done (and for a failed call).
/// </summary>
internal sealed class ImageGenerationCallItem(string? result, bool failed) : FakeItem(NewId(), "image_generation_call")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString(JsonNames.Status, !Done ? "in_progress" : failed ? "failed" : "completed");
        if (Done && !failed && result is not null)
        {
            writer.WriteString("result", result);
        }
        else
        {
            writer.WriteNull("result");
        }

        writer.WriteEndObject();
    }

    private static string NewId() => "ig_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(25));
}
