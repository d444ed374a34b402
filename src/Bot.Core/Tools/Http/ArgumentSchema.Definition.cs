using System.Text.Json;

namespace Bot.Core.Tools.Http;

internal static partial class ArgumentSchema
{
    /// <summary>The schema used when a tool configures no <c>Parameters</c>: no arguments.</summary>
    public const string NoArguments = """{"type":"object","properties":{},"additionalProperties":false}""";

    private static readonly HashSet<string> s_types = ["object", "string", "number", "integer", "boolean", "array", "null"];

    /// <summary>
    /// What is wrong with a configured schema: it must be a JSON object schema (<c>"type": "object"</c>), and the
    /// keywords the validator reads must have their documented shapes. Empty when it is usable.
    /// </summary>
    public static IReadOnlyList<string> CheckDefinition(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return [$"is not valid JSON ({ex.Message})"];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ["must be a JSON object (a schema), given as one JSON string"];
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
                return ["must describe an object: \"type\": \"object\" at the top"];

            var problems = new List<string>();
            CheckKeywords(root, "$", problems);
            return problems;
        }
    }

    private static void CheckKeywords(JsonElement schema, string path, List<string> problems)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return;
        if (schema.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path} must be a schema object");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            var at = $"{path}.{keyword.Name}";
            switch (keyword.Name)
            {
                case "type" when !IsTypeList(value):
                    problems.Add($"{at} must be one of {string.Join(", ", s_types)} (or a list of them)");
                    break;
                case "properties" when value.ValueKind != JsonValueKind.Object:
                    problems.Add($"{at} must be an object of schemas");
                    break;
                case "properties":
                    foreach (var property in value.EnumerateObject())
                        CheckKeywords(property.Value, $"{at}.{property.Name}", problems);
                    break;
                case "required" when value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String):
                    problems.Add($"{at} must be a list of property names");
                    break;
                case "enum" when value.ValueKind != JsonValueKind.Array:
                    problems.Add($"{at} must be a list of values");
                    break;
                case "items" or "additionalProperties":
                    CheckKeywords(value, at, problems);
                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" or "minLength" or "maxLength"
                    when value.ValueKind != JsonValueKind.Number:
                    problems.Add($"{at} must be a number");
                    break;
            }
        }
    }

    private static bool IsTypeList(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => s_types.Contains(type.GetString()!),
        JsonValueKind.Array => type.GetArrayLength() > 0
            && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String && s_types.Contains(t.GetString()!)),
        _ => false,
    };
}
