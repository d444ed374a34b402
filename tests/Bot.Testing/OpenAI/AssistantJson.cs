using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>The Assistants v2 objects as the service writes them (field order and nulls as in the recorded fixtures).</summary>
internal static partial class AssistantJson
{
    public static void WriteAssistant(Utf8JsonWriter w, StoredAssistant a)
    {
        lock (a.Sync)
        {
            w.WriteStartObject();
            w.WriteString("id", a.Id);
            w.WriteString("object", "assistant");
            w.WriteNumber("created_at", a.CreatedAt);
            w.WriteString("name", a.Name);
            w.WriteNull("description");
            w.WriteString("model", a.Model);
            w.WriteString("instructions", a.Instructions);
            w.WritePropertyName("tools");
            w.WriteRawValue(a.ToolsJson);
            w.WriteStartObject("tool_resources");
            w.WriteEndObject();
            OpenAIHttp.WriteMetadata(w, a.Metadata);
            w.WriteNumber("temperature", 1.0);
            w.WriteNumber("top_p", 1.0);
            w.WriteString("response_format", "auto");
            w.WriteEndObject();
        }
    }

    public static void WriteThread(Utf8JsonWriter w, StoredThread t)
    {
        lock (t.Sync)
        {
            w.WriteStartObject();
            w.WriteString("id", t.Id);
            w.WriteString("object", "thread");
            w.WriteNumber("created_at", t.CreatedAt);
            OpenAIHttp.WriteMetadata(w, t.Metadata);
            w.WriteStartObject("tool_resources");
            w.WriteStartObject("code_interpreter");
            WriteStrings(w, "file_ids", t.CodeInterpreterFileIds);
            w.WriteEndObject();
            if (t.VectorStoreIds.Count > 0)
            {
                w.WriteStartObject("file_search");
                WriteStrings(w, "vector_store_ids", t.VectorStoreIds);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    public static void WriteMessage(Utf8JsonWriter w, StoredMessage m)
    {
        w.WriteStartObject();
        w.WriteString("id", m.Id);
        w.WriteString("object", "thread.message");
        w.WriteNumber("created_at", m.CreatedAt);
        w.WriteString("assistant_id", m.AssistantId);
        w.WriteString("thread_id", m.ThreadId);
        w.WriteString("run_id", m.RunId);
        w.WriteString("status", m.Status);
        if (m.IncompleteReason is { } reason)
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", reason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        w.WriteNull("incomplete_at");
        if (m.Status == "completed")
            w.WriteNumber("completed_at", m.CreatedAt);
        else
            w.WriteNull("completed_at");
        w.WriteString("role", m.Role);
        w.WriteStartArray("content");
        foreach (var part in m.Content)
            WritePart(w, part, index: null);
        w.WriteEndArray();
        w.WriteStartArray("attachments");
        foreach (var attachment in m.Attachments)
        {
            w.WriteStartObject();
            w.WriteString("file_id", attachment.FileId);
            w.WriteStartArray("tools");
            foreach (var tool in attachment.Tools)
            {
                w.WriteStartObject();
                w.WriteString("type", tool);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        OpenAIHttp.WriteMetadata(w, m.Metadata);
        w.WriteEndObject();
    }

    /// <summary>A content part; with an index it is the part of a message delta.</summary>
    public static void WritePart(Utf8JsonWriter w, StoredContentPart part, int? index)
    {
        w.WriteStartObject();
        if (index is { } i)
            w.WriteNumber("index", i);
        w.WriteString("type", part.Type);
        if (part.Type == "image_file")
        {
            w.WriteStartObject("image_file");
            w.WriteString("file_id", part.FileId);
            w.WriteString("detail", "auto");
            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject("text");
            w.WriteString("value", part.Text);
            w.WriteStartArray("annotations");
            foreach (var annotation in part.Annotations ?? [])
                WriteAnnotation(w, annotation, null);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public static void WriteAnnotation(Utf8JsonWriter w, ThreadAnnotation a, int? index)
    {
        w.WriteStartObject();
        if (index is { } i)
            w.WriteNumber("index", i);
        w.WriteString("type", a.Type);
        w.WriteString("text", a.Text);
        w.WriteNumber("start_index", a.StartIndex);
        w.WriteNumber("end_index", a.EndIndex);
        w.WriteStartObject(a.Type);
        w.WriteString("file_id", a.FileId);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void WriteTime(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
