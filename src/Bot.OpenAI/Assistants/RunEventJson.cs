using System.Text;
using System.Text.Json;
using Bot.Core.Backends;
using Bot.OpenAI.Streaming;

namespace Bot.OpenAI.Assistants;

/// <summary>A piece of streamed message text: the content part it belongs to, and whether it is a refusal.</summary>
internal readonly record struct DeltaText(int Index, string Text, bool Refusal);

/// <summary>
/// Reads the few fields the bot needs from the UTF-8 data of Assistants v2 stream events (openai.md §3.4) without
/// building the SDK's model of the whole object: message deltas, the ids and type of runs and run steps, images in
/// run step deltas, and <c>error</c> events.
/// </summary>
internal static class RunEventJson
{
    /// <summary>
    /// Reads a <c>thread.message.delta</c>:
    /// <c>{"id":"msg_…","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hi","annotations":[]}}]}}</c>.
    /// Fills <paramref name="texts"/> with the non-empty text and refusal pieces; returns the message id.
    /// </summary>
    public static string? MessageDelta(ReadOnlySpan<byte> data, RepeatedString ids, List<DeltaText> texts)
    {
        texts.Clear();
        string? messageId = null;
        var reader = Open(data);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                messageId = ids.Read(ref reader);
            else if (reader.ValueTextEquals("delta"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                Delta(ref reader, texts);
            else
                reader.Skip();
        }

        return messageId;
    }

    /// <summary>The <c>id</c> of a run (or any object).</summary>
    public static string? Id(ReadOnlySpan<byte> data, RepeatedString ids)
    {
        var reader = Open(data);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                return ids.Read(ref reader);
            reader.Skip();
        }

        return null;
    }

    /// <summary>A run step's <c>run_id</c>, and whether its <c>type</c> is <c>tool_calls</c> (not <c>message_creation</c>).</summary>
    public static (string? RunId, bool ToolCalls) StepHead(ReadOnlySpan<byte> data, RepeatedString ids)
    {
        string? runId = null;
        var toolCalls = false;
        var reader = Open(data);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("run_id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                runId = ids.Read(ref reader);
            else if (reader.ValueTextEquals("type"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                toolCalls = reader.ValueTextEquals("tool_calls"u8);
            else
                reader.Skip();
        }

        return (runId, toolCalls);
    }

    /// <summary>
    /// Adds the images a <c>thread.run.step.delta</c> reports as code interpreter outputs
    /// (<c>delta.step_details.tool_calls[].code_interpreter.outputs[].image.file_id</c>).
    /// </summary>
    public static void AddImageFileIds(ReadOnlySpan<byte> data, List<string> fileIds)
    {
        // Most step deltas are code or function arguments being written: only one that names an image is parsed.
        if (data.IndexOf("\"image\""u8) < 0)
            return;
        var reader = new Utf8JsonReader(data);
        using var document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("delta", out var delta) || !delta.TryGetProperty("step_details", out var details)
            || !details.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
            return;
        foreach (var call in calls.EnumerateArray())
        {
            if (!call.TryGetProperty("code_interpreter", out var code) || !code.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var output in outputs.EnumerateArray())
            {
                if (output.TryGetProperty("image", out var image) && image.TryGetProperty("file_id", out var fileId) && fileId.GetString() is { Length: > 0 } id)
                    fileIds.Add(id);
            }
        }
    }

    /// <summary>
    /// The failure an <c>error</c> event reports: <c>{"code":…,"message":…,"param":…,"type":…}</c>, or the same inside
    /// <c>{"error":{…}}</c>.
    /// </summary>
    public static AssistantFailureException Error(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var error = document.RootElement;
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object)
                error = inner;
            if (error.ValueKind != JsonValueKind.Object)
                return FailureMapping.FromErrorCode(null, Encoding.UTF8.GetString(data));
            var code = String(error, "code") ?? String(error, "type");
            return FailureMapping.FromErrorCode(code, String(error, "message") ?? "The run stream reported an error.");
        }
        catch (JsonException)
        {
            return FailureMapping.FromErrorCode(null, Encoding.UTF8.GetString(data));
        }
    }

    // {"content":[{…}, …], "role":…}
    private static void Delta(ref Utf8JsonReader reader, List<DeltaText> texts)
    {
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("content"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                        ContentPart(ref reader, texts);
                    else
                        reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    // {"index":0,"type":"text","text":{"value":"Hi","annotations":[…]}} or {"index":2,"type":"refusal","refusal":"…"};
    // image parts and annotations are read from the finished message instead.
    private static void ContentPart(ref Utf8JsonReader reader, List<DeltaText> texts)
    {
        var index = 0;
        string? text = null, refusal = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("index"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                index = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("text"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("value"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                        text = reader.GetString();
                    else
                        reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("refusal"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                refusal = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        if (!string.IsNullOrEmpty(text))
            texts.Add(new DeltaText(index, text, Refusal: false));
        else if (!string.IsNullOrEmpty(refusal))
            texts.Add(new DeltaText(index, refusal, Refusal: true));
    }

    private static Utf8JsonReader Open(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("The event data is not a JSON object.");
        return reader;
    }

    // Moves to the next property name of the current object; false at its end.
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
