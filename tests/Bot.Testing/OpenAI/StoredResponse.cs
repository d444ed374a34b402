using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>A response's state while and after it is generated; GET /responses/{id} and the stream both read it.</summary>
internal sealed class StoredResponse(string id, long createdAt, ParsedResponseRequest request)
{
    public string Id { get; } = id;

    public long CreatedAt { get; } = createdAt;

    public ParsedResponseRequest Request { get; } = request;

    /// <summary>Guards <see cref="Output"/>, <see cref="Status"/> and the fields the terminal event sets.</summary>
    public Lock Sync { get; } = new();

    public string Status { get; set; } = "in_progress";

    public List<FakeItem> Output { get; } = [];

    public long? CompletedAt { get; set; }

    public (string Code, string Message)? Error { get; set; }

    public string? IncompleteReason { get; set; }

    public (int Input, int Output)? Usage { get; set; }

    /// <summary>`usage.input_tokens_details.cached_tokens`.</summary>
    public int CachedTokens { get; set; }

    /// <summary>The final response object of a replayed fixture, written as recorded.</summary>
    public byte[]? RecordedJson { get; set; }

    /// <summary>A streamed background response's events, for streams that resume it; null for any other response.</summary>
    public ResponseEventLog? Events { get; set; }

    /// <summary>When (Stopwatch timestamp) the fake last cut a stream of it, until a resumed stream sends its next event; 0 = none.</summary>
    public long CutAtTimestamp;

    /// <summary>Cancelled by POST /responses/{id}/cancel.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public bool IsActive => Status is "in_progress" or "queued";

    public void Add(FakeItem item)
    {
        lock (Sync)
        {
            Output.Add(item);
        }
    }

    /// <summary>Writes the response object (the `response` of created/in_progress/completed events, and the REST body).</summary>
    public void Write(Utf8JsonWriter writer)
    {
        lock (Sync)
        {
            if (RecordedJson is not null)
            {
                writer.WriteRawValue(RecordedJson, skipInputValidation: true);
                return;
            }

            WriteLocked(writer);
        }
    }

    private void WriteLocked(Utf8JsonWriter w)
    {
        var r = Request;
        w.WriteStartObject();
        w.WriteString(JsonNames.Id, Id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", CreatedAt);
        w.WriteString(JsonNames.Status, Status);
        w.WriteBoolean("background", r.Public.Background);
        WriteNullable(w, "completed_at", CompletedAt);
        if (Error is { } error)
        {
            w.WriteStartObject("error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error");
        }

        if (IncompleteReason is not null)
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", IncompleteReason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        w.WriteString("instructions", r.Public.Instructions);
        WriteNullable(w, "max_output_tokens", r.MaxOutputTokens);
        w.WriteNull("max_tool_calls");
        w.WriteString("model", r.Public.Model);
        w.WriteStartArray("output");
        foreach (var item in Output)
        {
            item.Write(w);
        }

        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", true);
        w.WriteString("previous_response_id", r.Public.PreviousResponseId);
        w.WriteNull("prompt_cache_key");
        w.WriteStartObject("reasoning");
        w.WriteNull("effort");
        w.WriteNull("summary");
        w.WriteEndObject();
        w.WriteNull("safety_identifier");
        w.WriteString("service_tier", Status == "completed" ? "default" : "auto");
        w.WriteBoolean("store", true);
        w.WritePropertyName("temperature");
        w.WriteRawValue("1.0"u8, skipInputValidation: true);
        w.WriteStartObject("text");
        w.WriteStartObject("format");
        w.WriteString(JsonNames.Type, "text");
        w.WriteEndObject();
        w.WriteString("verbosity", "medium");
        w.WriteEndObject();
        w.WriteString("tool_choice", "auto");
        w.WritePropertyName("tools");
        WriteRawOr(w, r.ToolsJson, "[]"u8);
        w.WriteNumber("top_logprobs", 0);
        w.WritePropertyName("top_p");
        w.WriteRawValue("1.0"u8, skipInputValidation: true);
        w.WriteString("truncation", r.Public.Truncation ?? "disabled");
        WriteUsage(w);
        w.WriteNull("user");
        w.WritePropertyName("metadata");
        WriteRawOr(w, r.MetadataJson, "{}"u8);
        if (r.Public.ConversationId is { } conversationId)
        {
            w.WriteStartObject("conversation");
            w.WriteString(JsonNames.Id, conversationId);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("conversation");
        }

        w.WriteEndObject();
    }

    private void WriteUsage(Utf8JsonWriter w)
    {
        if (Usage is not { } usage)
        {
            w.WriteNull("usage");
            return;
        }

        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.Input);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", CachedTokens);
        w.WriteNumber("cache_write_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", usage.Output);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", usage.Input + usage.Output);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteRawOr(Utf8JsonWriter w, byte[]? raw, ReadOnlySpan<byte> fallback) =>
        w.WriteRawValue(raw ?? fallback, skipInputValidation: true);
}
