using System.Globalization;
using System.Text.Json;

namespace Bot.Core.Tools.Http;

/// <summary>
/// Checks function arguments against the part of JSON Schema that OpenAI function definitions use: <c>type</c>
/// (object, string, number, integer, boolean, array, null, or a list of them), <c>properties</c>, <c>required</c>,
/// <c>enum</c>, <c>additionalProperties</c>, <c>items</c>, <c>minimum</c>/<c>maximum</c> (and their exclusive forms),
/// <c>minLength</c>/<c>maxLength</c>. Other keywords are ignored, so a schema never rejects more than it says.
/// </summary>
internal static partial class ArgumentSchema
{
    private const int MaxProblems = 10;

    /// <summary>What is wrong with <paramref name="value"/>, by JSON path ($ is the arguments object); empty when it fits.</summary>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement value)
    {
        var problems = new List<string>();
        Check(schema, value, "$", problems);
        return problems.Count > MaxProblems ? [.. problems.Take(MaxProblems), $"and {problems.Count - MaxProblems} more"] : problems;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.ValueKind == JsonValueKind.False)
        {
            problems.Add($"{path} is not allowed");
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
            return;

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            problems.Add($"{path} must be {TypeText(type)}, not {KindText(value)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value)))
            problems.Add($"{path} must be one of {string.Join(", ", allowed.EnumerateArray().Select(o => o.GetRawText()))}");

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, path, problems);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    Check(items, item, $"{path}[{index++}]", problems);
                break;
            case JsonValueKind.String:
                CheckLength(schema, value.GetString()!, path, problems);
                break;
            case JsonValueKind.Number:
                CheckRange(schema, value.GetDouble(), path, problems);
                break;
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = $"{path}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
                Check(propertySchema, property.Value, propertyPath, problems);
            else if (additional.ValueKind == JsonValueKind.False)
                problems.Add($"{propertyPath} is not a known property");
            else if (additional.ValueKind == JsonValueKind.Object)
                Check(additional, property.Value, propertyPath, problems);
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                    problems.Add($"{path}.{name.GetString()} is required but missing");
            }
        }
    }

    private static void CheckLength(JsonElement schema, string text, string path, List<string> problems)
    {
        // JSON Schema counts characters as code points, not UTF-16 units.
        var length = text.EnumerateRunes().Count();
        if (Number(schema, "minLength") is { } min && length < min)
            problems.Add($"{path} must be at least {Format(min)} characters long");
        if (Number(schema, "maxLength") is { } max && length > max)
            problems.Add($"{path} must be at most {Format(max)} characters long");
    }

    private static void CheckRange(JsonElement schema, double number, string path, List<string> problems)
    {
        if (Number(schema, "minimum") is { } min && number < min)
            problems.Add($"{path} must be at least {Format(min)}");
        if (Number(schema, "maximum") is { } max && number > max)
            problems.Add($"{path} must be at most {Format(max)}");
        if (Number(schema, "exclusiveMinimum") is { } exclusiveMin && number <= exclusiveMin)
            problems.Add($"{path} must be more than {Format(exclusiveMin)}");
        if (Number(schema, "exclusiveMaximum") is { } exclusiveMax && number >= exclusiveMax)
            problems.Add($"{path} must be less than {Format(exclusiveMax)}");
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind switch
    {
        JsonValueKind.String => IsOfType(type.GetString()!, value),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && IsOfType(t.GetString()!, value)),
        _ => true,
    };

    private static bool IsOfType(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsIntegral(value),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    // 1.0 counts as an integer, as in JSON Schema.
    private static bool IsIntegral(JsonElement value) =>
        value.TryGetDecimal(out var d) ? d == decimal.Truncate(d) : double.IsInteger(value.GetDouble());

    private static double? Number(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : null;

    private static string TypeText(JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(t => Article(t.ToString())))
        : Article(type.ToString());

    private static string KindText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => IsIntegral(value) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Article(string type) => type switch
    {
        "null" => "null",
        "object" or "array" or "integer" => "an " + type,
        _ => "a " + type,
    };

    private static string Format(double n) => n.ToString(CultureInfo.InvariantCulture);
}
