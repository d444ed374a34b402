using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>
/// POST /v1/moderations per the spec's CreateModerationRequest/Response: `input` is a string, an array of strings or an
/// array of multi-modal parts (text, image_url); one result per string (one for all parts), each with flagged, categories,
/// category_scores and category_applied_input_types. An `image_url` must be an http(s) URL or a base64 data URL of an
/// image (anything else is a 400, as the service answers an image it cannot read); a data URL whose bytes contain
/// <see cref="FakeModeration.FlagMarker"/> is flagged.
/// </summary>
internal sealed class ModerationEndpoints(FakeModeration moderation)
{
    public void Map(IEndpointRouteBuilder v1) => v1.MapPost("/moderations", ClassifyAsync);

    private async Task ClassifyAsync(HttpContext context)
    {
        using var body = await OpenAIHttp.ReadJsonAsync(context);
        if (body is null)
            return;
        var root = body.RootElement;
        if (!root.TryGetProperty("input", out var input) || input.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'input'.", "missing_required_parameter", "input");
            return;
        }

        var model = ParsedResponseRequest.String(root, "model");
        // Each entry is the texts judged together for one result, whether images came with them, and whether one is flagged.
        List<(List<string> Texts, bool HasImage, bool FlaggedImage)> inputs = [];
        if (input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(([input.GetString()!], false, false));
        }
        else if (input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            inputs.AddRange(input.EnumerateArray().Select(e => (new List<string> { e.GetString()! }, false, false)));
        }
        else
        {
            var parts = (Texts: new List<string>(), HasImage: false, FlaggedImage: false);
            foreach (var part in input.EnumerateArray())
            {
                switch (ParsedResponseRequest.String(part, "type"))
                {
                    case "text" when ParsedResponseRequest.String(part, "text") is { } text:
                        parts.Texts.Add(text);
                        break;
                    case "image_url" when part.TryGetProperty("image_url", out var image) && ParsedResponseRequest.String(image, "url") is { } url:
                        if (!FakeModeration.TryReadImage(url, out var bytes))
                        {
                            await OpenAIHttp.BadRequestAsync(context, "Invalid image URL: expected an http(s) URL or a base64 data URL of an image.",
                                "invalid_image_url", "input");
                            return;
                        }

                        parts.HasImage = true;
                        parts.FlaggedImage |= moderation.IsFlagged(bytes);
                        break;
                    default:
                        await OpenAIHttp.BadRequestAsync(context, "Invalid value for 'input': unknown part.", "invalid_value", "input");
                        return;
                }
            }

            inputs.Add(parts);
        }

        moderation.Record(new FakeModerationRequest(model, [.. inputs.SelectMany(i => i.Texts)], inputs.Count(i => i.HasImage)));
        var results = inputs.Select(i => (Flagged: i.FlaggedImage || i.Texts.Any(moderation.IsFlagged), i.HasImage)).ToList();
        // A flagged category the spec does not list is written too, as a newer model would.
        var names = FakeModeration.AllCategories.Concat(moderation.FlaggedCategories.Except(FakeModeration.AllCategories)).ToList();
        await OpenAIHttp.OkAsync(context, (Model: model ?? "omni-moderation-latest", Results: results, Categories: moderation.FlaggedCategories, Names: names), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", "modr-" + Guid.NewGuid().ToString("N"));
            w.WriteString("model", s.Model);
            w.WriteStartArray("results");
            foreach (var (flagged, hasImage) in s.Results)
            {
                w.WriteStartObject();
                w.WriteBoolean("flagged", flagged);
                w.WriteStartObject("categories");
                foreach (var name in s.Names)
                    w.WriteBoolean(name, flagged && s.Categories.Contains(name));
                w.WriteEndObject();
                w.WriteStartObject("category_scores");
                foreach (var name in s.Names)
                    w.WriteNumber(name, flagged && s.Categories.Contains(name) ? 0.93 : 0.0001);
                w.WriteEndObject();
                w.WriteStartObject("category_applied_input_types");
                foreach (var name in s.Names)
                {
                    w.WriteStartArray(name);
                    w.WriteStringValue("text");
                    if (hasImage)
                        w.WriteStringValue("image");
                    w.WriteEndArray();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
