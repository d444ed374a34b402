using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>Runs and run steps as the service writes them.</summary>
internal static partial class AssistantJson
{
    public static void WriteRun(Utf8JsonWriter w, StoredRun r)
    {
        lock (r.Sync)
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("object", "thread.run");
            w.WriteNumber("created_at", r.CreatedAt);
            w.WriteString("assistant_id", r.AssistantId);
            w.WriteString("thread_id", r.ThreadId);
            w.WriteString("status", r.Status);
            WriteTime(w, "started_at", r.StartedAt);
            WriteTime(w, "expires_at", r.IsActive ? r.ExpiresAt : null);
            WriteTime(w, "cancelled_at", r.CancelledAt);
            WriteTime(w, "failed_at", r.FailedAt);
            WriteTime(w, "completed_at", r.CompletedAt);
            WriteRequiredAction(w, r);
            if (r.LastError is { } error)
            {
                w.WriteStartObject("last_error");
                w.WriteString("code", error.Code);
                w.WriteString("message", error.Message);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("last_error");
            }

            w.WriteString("model", r.Model);
            w.WriteNull("reasoning_effort");
            w.WriteString("instructions", r.Instructions);
            w.WritePropertyName("tools");
            w.WriteRawValue(r.ToolsJson);
            w.WriteStartObject("tool_resources");
            w.WriteEndObject();
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            if (r.IncompleteReason is { } reason)
            {
                w.WriteStartObject("incomplete_details");
                w.WriteString("reason", reason);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("incomplete_details");
            }

            if (r.Usage is { } usage)
            {
                w.WriteStartObject("usage");
                w.WriteNumber("prompt_tokens", usage.Prompt);
                w.WriteNumber("completion_tokens", usage.Completion);
                w.WriteNumber("total_tokens", usage.Prompt + usage.Completion);
                w.WriteStartObject("prompt_token_details");
                w.WriteNumber("cached_tokens", r.CachedPromptTokens);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("usage");
            }

            w.WriteNumber("temperature", 1.0);
            w.WriteNumber("top_p", 1.0);
            w.WriteNull("max_completion_tokens");
            w.WriteNull("max_prompt_tokens");
            w.WriteStartObject("truncation_strategy");
            w.WriteString("type", "auto");
            w.WriteNull("last_messages");
            w.WriteEndObject();
            w.WriteString("response_format", "auto");
            w.WriteString("tool_choice", "auto");
            w.WriteBoolean("parallel_tool_calls", true);
            w.WriteEndObject();
        }
    }

    public static void WriteStep(Utf8JsonWriter w, StoredRunStep s, StoredRun run)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("object", "thread.run.step");
        w.WriteNumber("created_at", s.CreatedAt);
        w.WriteString("run_id", s.RunId);
        w.WriteString("assistant_id", run.AssistantId);
        w.WriteString("thread_id", run.ThreadId);
        w.WriteString("type", s.Type);
        w.WriteString("status", s.Status);
        w.WriteNull("cancelled_at");
        WriteTime(w, "completed_at", s.Status == "completed" ? s.CreatedAt : null);
        w.WriteNumber("expires_at", run.ExpiresAt);
        w.WriteNull("failed_at");
        w.WriteNull("last_error");
        w.WritePropertyName("step_details");
        WriteStepDetails(w, s, complete: s.Status != "in_progress");
        w.WriteNull("usage");
        w.WriteEndObject();
    }

    /// <summary>`step_details` of a step (complete: with the tool call's outputs).</summary>
    public static void WriteStepDetails(Utf8JsonWriter w, StoredRunStep s, bool complete)
    {
        w.WriteStartObject();
        w.WriteString("type", s.Type);
        if (s.Type == "message_creation")
        {
            w.WriteStartObject("message_creation");
            w.WriteString("message_id", s.MessageId);
            w.WriteEndObject();
        }
        else
        {
            w.WriteStartArray("tool_calls");
            if (s.ToolCall is { } call)
                WriteToolCall(w, call, index: null, complete);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteToolCall(Utf8JsonWriter w, StepToolCall call, int? index, bool complete)
    {
        w.WriteStartObject();
        if (index is { } i)
            w.WriteNumber("index", i);
        w.WriteString("id", call.Id);
        w.WriteString("type", call.Type);
        w.WriteStartObject(call.Type);
        switch (call.Type)
        {
            case "code_interpreter":
                w.WriteString("input", complete ? call.Code : string.Empty);
                w.WriteStartArray("outputs");
                if (complete)
                    WriteCodeOutputs(w, call, withIndex: false);
                w.WriteEndArray();
                break;
            case "function":
                w.WriteString("name", call.FunctionName);
                w.WriteString("arguments", complete ? call.Arguments : string.Empty);
                w.WriteNull("output");
                break;
            default:
                w.WriteStartObject("ranking_options");
                w.WriteString("ranker", "default_2024_08_21");
                w.WriteNumber("score_threshold", 0.0);
                w.WriteEndObject();
                w.WriteStartArray("results");
                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteCodeOutputs(Utf8JsonWriter w, StepToolCall call, bool withIndex)
    {
        var index = 0;
        w.WriteStartObject();
        if (withIndex)
            w.WriteNumber("index", index++);
        w.WriteString("type", "logs");
        w.WriteString("logs", call.Logs);
        w.WriteEndObject();
        if (call.ImageFileId is { } imageId)
        {
            w.WriteStartObject();
            if (withIndex)
                w.WriteNumber("index", index);
            w.WriteString("type", "image");
            w.WriteStartObject("image");
            w.WriteString("file_id", imageId);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    private static void WriteRequiredAction(Utf8JsonWriter w, StoredRun r)
    {
        if (r.Status != "requires_action" || r.RequiredCalls.Count == 0)
        {
            w.WriteNull("required_action");
            return;
        }

        w.WriteStartObject("required_action");
        w.WriteString("type", "submit_tool_outputs");
        w.WriteStartObject("submit_tool_outputs");
        w.WriteStartArray("tool_calls");
        foreach (var (id, name, arguments) in r.RequiredCalls)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", name);
            w.WriteString("arguments", arguments);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
