using System.Buffers;
using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>An item of a response's output or of a conversation, able to write its JSON.</summary>
internal abstract class FakeItem(string id, string type)
{
    private volatile bool _done;

    public string Id { get; } = id;

    public string Type { get; } = type;

    /// <summary>The `call_id` of function_call / function_call_output items.</summary>
    public virtual string? CallId => null;

    /// <summary>False while the item streams: it is then written as `output_item.added` shows it.</summary>
    public bool Done
    {
        get => _done;
        set => _done = value;
    }

    public abstract void Write(Utf8JsonWriter writer);

    protected void WriteHead(Utf8JsonWriter writer)
    {
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString(JsonNames.Status, Done ? "completed" : "in_progress");
    }
}

/// <summary>An assistant `message` with one `output_text` part.</summary>
internal sealed class MessageItem(string id, string text, IReadOnlyList<OutputAnnotation> annotations) : FakeItem(id, "message")
{
    public string Text { get; } = text;

    public IReadOnlyList<OutputAnnotation> Annotations { get; } = annotations;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteHead(writer);
        writer.WriteStartArray("content");
        if (Done)
        {
            WritePart(writer, complete: true);
        }

        writer.WriteEndArray();
        writer.WriteString("role", "assistant");
        writer.WriteEndObject();
    }

    /// <summary>The `output_text` part: empty for `content_part.added`, complete for the `.done` events.</summary>
    public void WritePart(Utf8JsonWriter writer, bool complete)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Type, "output_text");
        writer.WriteStartArray(JsonNames.Annotations);
        if (complete)
        {
            foreach (var annotation in Annotations)
            {
                annotation.Write(writer);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray(JsonNames.Logprobs);
        writer.WriteEndArray();
        writer.WriteString(JsonNames.Text, complete ? Text : string.Empty);
        writer.WriteEndObject();
    }
}

/// <summary>A `file_citation` or `container_file_citation` annotation on output text.</summary>
internal sealed record OutputAnnotation(string Kind, string FileId, string Filename, int Index, string? ContainerId = null, int StartIndex = 0, int EndIndex = 0)
{
    public const string FileCitation = "file_citation";
    public const string ContainerFileCitation = "container_file_citation";
    public const string UrlCitation = "url_citation";

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Type, Kind);
        if (Kind == UrlCitation)
        {
            // UrlCitationBody: the page's URL and title ride in FileId and Filename.
            writer.WriteNumber("end_index", EndIndex);
            writer.WriteNumber("start_index", StartIndex);
            writer.WriteString("title", Filename);
            writer.WriteString("url", FileId);
        }
        else if (Kind == ContainerFileCitation)
        {
            // Key order as recorded from the service.
            writer.WriteString("container_id", ContainerId);
            writer.WriteNumber("end_index", EndIndex);
            writer.WriteString("file_id", FileId);
            writer.WriteString("filename", Filename);
            writer.WriteNumber("start_index", StartIndex);
        }
        else
        {
            writer.WriteString("file_id", FileId);
            writer.WriteString("filename", Filename);
            writer.WriteNumber("index", Index);
        }

        writer.WriteEndObject();
    }
}

/// <summary>A `function_call` output item.</summary>
internal sealed class FunctionCallItem(string id, string callId, string name, string arguments) : FakeItem(id, "function_call")
{
    public override string? CallId => callId;

    public string Name { get; } = name;

    public string Arguments { get; } = arguments;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteHead(writer);
        writer.WriteString("arguments", Done ? Arguments : string.Empty);
        writer.WriteString("call_id", callId);
        writer.WriteString("name", Name);
        writer.WriteEndObject();
    }
}

/// <summary>A `code_interpreter_call` output item; outputs are only written when the request included them.</summary>
internal sealed class CodeInterpreterCallItem(string id, string containerId, string code, string? logs, string? imageUrl) : FakeItem(id, "code_interpreter_call")
{
    public string ContainerId { get; } = containerId;

    public string Code { get; } = code;

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteHead(writer);
        writer.WriteString("code", Done ? Code : string.Empty);
        writer.WriteString("container_id", ContainerId);
        if (Done && (logs is not null || imageUrl is not null))
        {
            writer.WriteStartArray("outputs");
            if (logs is not null)
            {
                writer.WriteStartObject();
                writer.WriteString(JsonNames.Type, "logs");
                writer.WriteString("logs", logs);
                writer.WriteEndObject();
            }

            if (imageUrl is not null)
            {
                writer.WriteStartObject();
                writer.WriteString(JsonNames.Type, "image");
                writer.WriteString("url", imageUrl);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("outputs");
        }

        writer.WriteEndObject();
    }
}

/// <summary>One hit of a file search, written only when the request included `file_search_call.results`.</summary>
internal sealed record FileSearchHit(string FileId, string Filename, string Text, double Score);

/// <summary>A `file_search_call` output item.</summary>
internal sealed class FileSearchCallItem(string id, IReadOnlyList<string> queries, IReadOnlyList<FileSearchHit>? results) : FakeItem(id, "file_search_call")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString(JsonNames.Status, Done ? "completed" : "in_progress");
        writer.WriteStartArray("queries");
        if (Done)
        {
            foreach (var query in queries)
            {
                writer.WriteStringValue(query);
            }
        }

        writer.WriteEndArray();
        if (Done && results is not null)
        {
            writer.WriteStartArray("results");
            foreach (var hit in results)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("attributes");
                writer.WriteEndObject();
                writer.WriteString("file_id", hit.FileId);
                writer.WriteString("filename", hit.Filename);
                writer.WriteNumber("score", hit.Score);
                writer.WriteString("text", hit.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("results");
        }

        writer.WriteEndObject();
    }
}

/// <summary>An item kept as JSON: client input items (with an id and status added) and replayed output items.</summary>
internal sealed class JsonItem : FakeItem
{
    private readonly byte[] _json;
    private readonly string? _callId;

    private JsonItem(string id, string type, string? callId, byte[] json)
        : base(id, type)
    {
        _json = json;
        _callId = callId;
        Done = true;
    }

    public override string? CallId => _callId;

    /// <summary>Stores a client's input item the way the service lists it: with an `id` first and a `status`.</summary>
    public static JsonItem FromInput(JsonElement item, string id)
    {
        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "message";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonNames.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(JsonNames.Id, id);
            writer.WriteString(JsonNames.Type, type);
            var hasStatus = false;
            foreach (var property in item.EnumerateObject())
            {
                if (property.NameEquals("id") || property.NameEquals("type"))
                {
                    continue;
                }

                hasStatus |= property.NameEquals("status");
                property.WriteTo(writer);
            }

            if (!hasStatus)
            {
                writer.WriteString(JsonNames.Status, "completed");
            }

            writer.WriteEndObject();
        }

        return new JsonItem(id, type, CallIdOf(item), buffer.WrittenSpan.ToArray());
    }

    /// <summary>Keeps an item that already has its final shape (from a replayed `response.completed`).</summary>
    public static JsonItem FromOutput(JsonElement item)
    {
        var id = item.TryGetProperty("id", out var i) ? i.GetString() ?? FakeIds.Message() : FakeIds.Message();
        var type = item.TryGetProperty("type", out var t) ? t.GetString() ?? "message" : "message";
        return new JsonItem(id, type, CallIdOf(item), System.Text.Encoding.UTF8.GetBytes(item.GetRawText()));
    }

    public override void Write(Utf8JsonWriter writer) => writer.WriteRawValue(_json, skipInputValidation: true);

    private static string? CallIdOf(JsonElement item) =>
        item.TryGetProperty("call_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
}
