using System.Text;
using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>A POST /responses body: the public summary plus what the fake needs to store and validate.</summary>
internal sealed class ParsedResponseRequest
{
    public required FakeResponseRequest Public { get; init; }

    /// <summary>Input items as the conversation will list them (ids assigned).</summary>
    public required IReadOnlyList<JsonItem> InputItems { get; init; }

    /// <summary>`tools` as sent, echoed in the response object.</summary>
    public byte[]? ToolsJson { get; init; }

    public byte[]? MetadataJson { get; init; }

    public int? MaxOutputTokens => Public.MaxOutputTokens;

    /// <summary>Characters of text input, for the usage estimate (tokens ≈ chars / 4).</summary>
    public int InputChars { get; init; }

    public bool IncludesCodeInterpreterOutputs => Public.Include.Contains("code_interpreter_call.outputs");

    public bool IncludesFileSearchResults => Public.Include.Contains("file_search_call.results");

    /// <summary>Reads the body; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static ParsedResponseRequest Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body must be a JSON object.");
        }

        var text = new StringBuilder();
        var images = new List<string>();
        var files = new List<string>();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = new List<JsonItem>();
        var inputChars = 0;
        var input = Property(root, "input");
        if (input.ValueKind == JsonValueKind.String)
        {
            var s = input.GetString()!;
            text.Append(s);
            inputChars += s.Length;

            // A string input is stored in the conversation as a user message.
            items.Add(JsonItem.FromInput(UserMessage(s), FakeIds.Message()));
        }
        else if (input.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in input.EnumerateArray())
            {
                var type = String(item, "type") ?? "message";
                if (type == "message")
                {
                    inputChars += ReadMessage(item, text, images, files);
                    items.Add(JsonItem.FromInput(item, FakeIds.Message()));
                }
                else if (type == "function_call_output")
                {
                    var output = Property(item, "output");
                    var outputText = output.ValueKind == JsonValueKind.String ? output.GetString()! : output.GetRawText();
                    outputs[String(item, "call_id") ?? string.Empty] = outputText;
                    inputChars += outputText.Length;
                    items.Add(JsonItem.FromInput(item, FakeIds.FunctionCallOutput()));
                }
                else
                {
                    items.Add(JsonItem.FromInput(item, String(item, "id") ?? FakeIds.Message()));
                }
            }
        }

        var instructions = String(root, "instructions");
        inputChars += instructions?.Length ?? 0;
        var tools = ToolSummary.Read(Property(root, "tools"));
        var conversation = Property(root, "conversation");
        var conversationId = conversation.ValueKind == JsonValueKind.String ? conversation.GetString() : String(conversation, "id");
        var maxTokens = Property(root, "max_output_tokens");
        var contextManagement = Property(root, "context_management");
        var compaction = Elements(contextManagement).FirstOrDefault(e => String(e, "type") == "compaction");
        var threshold = Property(compaction, "compact_threshold");
        var summary = new FakeResponseRequest
        {
            ConversationId = conversationId,
            PreviousResponseId = String(root, "previous_response_id"),
            Model = String(root, "model"),
            Instructions = instructions,
            UserText = text.ToString(),
            InputImageFileIds = images,
            InputFileIds = files,
            FunctionCallOutputs = outputs,
            HasFileSearch = tools.HasFileSearch,
            HasWebSearch = tools.HasWebSearch,
            ToolTypes = tools.Types,
            ImageGeneration = tools.ImageGeneration,
            HasContextManagement = contextManagement.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null),
            CompactThreshold = threshold.ValueKind == JsonValueKind.Number && threshold.TryGetInt32(out var n) ? n : null,
            Truncation = String(root, "truncation"),
            VectorStoreIds = tools.VectorStoreIds,
            HasCodeInterpreter = tools.HasCodeInterpreter,
            CodeInterpreterFileIds = tools.CodeInterpreterFileIds,
            CodeInterpreterContainerId = tools.ContainerId,
            FunctionNames = [.. tools.Functions.Keys],
            McpTools = FakeMcp.Tools(Property(root, "tools")),
            McpApprovalResponses = FakeMcp.ApprovalResponses(input),
            FunctionParameters = tools.Functions,
            Include = Strings(Property(root, "include")),
            Stream = Property(root, "stream").ValueKind == JsonValueKind.True,
            Background = Property(root, "background").ValueKind == JsonValueKind.True,
            MaxOutputTokens = maxTokens.ValueKind == JsonValueKind.Number ? maxTokens.GetInt32() : null,
            Json = Encoding.UTF8.GetString(body),
        };
        return new ParsedResponseRequest
        {
            Public = summary,
            InputItems = items,
            ToolsJson = Raw(Property(root, "tools")),
            MetadataJson = Raw(Property(root, "metadata")),
            InputChars = inputChars,
        };
    }

    private static int ReadMessage(JsonElement message, StringBuilder text, List<string> images, List<string> files)
    {
        var content = Property(message, "content");
        var isUser = (String(message, "role") ?? "user") == "user";
        if (content.ValueKind == JsonValueKind.String)
        {
            var s = content.GetString()!;
            if (isUser)
            {
                AppendLine(text, s);
            }

            return s.Length;
        }

        var chars = 0;
        foreach (var part in Elements(content))
        {
            switch (String(part, "type"))
            {
                case "input_text" or "output_text":
                    var s = String(part, "text") ?? string.Empty;
                    chars += s.Length;
                    if (isUser)
                    {
                        AppendLine(text, s);
                    }

                    break;
                case "input_image" when String(part, "file_id") is { } imageId:
                    images.Add(imageId);
                    break;
                case "input_file" when String(part, "file_id") is { } fileId:
                    files.Add(fileId);
                    break;
            }
        }

        return chars;
    }

    private static void AppendLine(StringBuilder text, string s)
    {
        if (text.Length > 0)
        {
            text.Append('\n');
        }

        text.Append(s);
    }

    private static JsonElement UserMessage(string text)
    {
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "message",
            role = "user",
            content = new[] { new { type = "input_text", text } },
        }));
        return document.RootElement.Clone();
    }

    internal static IEnumerable<JsonElement> Elements(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    internal static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    internal static string? String(JsonElement element, string name)
    {
        var value = Property(element, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    internal static List<string> Strings(JsonElement array)
    {
        var list = new List<string>();
        if (array.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in array.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    list.Add(value.GetString()!);
                }
            }
        }

        return list;
    }

    private static byte[]? Raw(JsonElement element) =>
        element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(element.GetRawText());
}

/// <summary>The `tools` array reduced to what the fake validates and tests assert on.</summary>
internal sealed class ToolSummary
{
    public bool HasFileSearch { get; private set; }

    public List<string> VectorStoreIds { get; } = [];

    public bool HasCodeInterpreter { get; private set; }

    public bool HasWebSearch { get; private set; }

    public List<string> Types { get; } = [];

    public FakeImageGenerationTool? ImageGeneration { get; private set; }

    public List<string> CodeInterpreterFileIds { get; } = [];

    public string? ContainerId { get; private set; }

    public Dictionary<string, string> Functions { get; } = new(StringComparer.Ordinal);

    public static ToolSummary Read(JsonElement tools)
    {
        var summary = new ToolSummary();
        foreach (var tool in ParsedResponseRequest.Elements(tools))
        {
            summary.Types.Add(ParsedResponseRequest.String(tool, "type") ?? string.Empty);
            switch (ParsedResponseRequest.String(tool, "type"))
            {
                case "image_generation":
                    summary.ImageGeneration = FakeImageGenerationTool.Read(tool);
                    break;
                case "file_search":
                    summary.HasFileSearch = true;
                    summary.VectorStoreIds.AddRange(ParsedResponseRequest.Strings(ParsedResponseRequest.Property(tool, "vector_store_ids")));
                    break;
                case "code_interpreter":
                    summary.HasCodeInterpreter = true;
                    var container = ParsedResponseRequest.Property(tool, "container");
                    if (container.ValueKind == JsonValueKind.String)
                    {
                        summary.ContainerId = container.GetString();
                    }
                    else
                    {
                        summary.CodeInterpreterFileIds.AddRange(ParsedResponseRequest.Strings(ParsedResponseRequest.Property(container, "file_ids")));
                    }

                    break;
                case "web_search":
                    summary.HasWebSearch = true;
                    break;
                case "function":
                    var parameters = ParsedResponseRequest.Property(tool, "parameters");
                    summary.Functions[ParsedResponseRequest.String(tool, "name") ?? string.Empty] =
                        parameters.ValueKind == JsonValueKind.Undefined ? "{}" : parameters.GetRawText();
                    break;
            }
        }

        return summary;
    }
}
