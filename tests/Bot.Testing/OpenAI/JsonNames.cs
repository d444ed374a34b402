using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>Pre-encoded property names for the hot streaming path, and the writer options.</summary>
internal static class JsonNames
{
    // The service does not escape ', <, > or non-ASCII text; relaxed escaping keeps the bytes close to a recording.
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText SequenceNumber = JsonEncodedText.Encode("sequence_number");
    public static readonly JsonEncodedText ItemId = JsonEncodedText.Encode("item_id");
    public static readonly JsonEncodedText OutputIndex = JsonEncodedText.Encode("output_index");
    public static readonly JsonEncodedText ContentIndex = JsonEncodedText.Encode("content_index");
    public static readonly JsonEncodedText Delta = JsonEncodedText.Encode("delta");
    public static readonly JsonEncodedText Logprobs = JsonEncodedText.Encode("logprobs");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    public static readonly JsonEncodedText Item = JsonEncodedText.Encode("item");
    public static readonly JsonEncodedText Part = JsonEncodedText.Encode("part");
    public static readonly JsonEncodedText Annotations = JsonEncodedText.Encode("annotations");
}

/// <summary>The `type` strings of the Responses stream events the fake writes.</summary>
internal static class EventTypes
{
    public static readonly JsonEncodedText Created = JsonEncodedText.Encode("response.created");
    public static readonly JsonEncodedText InProgress = JsonEncodedText.Encode("response.in_progress");
    public static readonly JsonEncodedText Completed = JsonEncodedText.Encode("response.completed");
    public static readonly JsonEncodedText Failed = JsonEncodedText.Encode("response.failed");
    public static readonly JsonEncodedText Incomplete = JsonEncodedText.Encode("response.incomplete");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText OutputItemAdded = JsonEncodedText.Encode("response.output_item.added");
    public static readonly JsonEncodedText OutputItemDone = JsonEncodedText.Encode("response.output_item.done");
    public static readonly JsonEncodedText ContentPartAdded = JsonEncodedText.Encode("response.content_part.added");
    public static readonly JsonEncodedText ContentPartDone = JsonEncodedText.Encode("response.content_part.done");
    public static readonly JsonEncodedText OutputTextDelta = JsonEncodedText.Encode("response.output_text.delta");
    public static readonly JsonEncodedText OutputTextDone = JsonEncodedText.Encode("response.output_text.done");
    public static readonly JsonEncodedText AnnotationAdded = JsonEncodedText.Encode("response.output_text.annotation.added");
    public static readonly JsonEncodedText FunctionArgumentsDelta = JsonEncodedText.Encode("response.function_call_arguments.delta");
    public static readonly JsonEncodedText FunctionArgumentsDone = JsonEncodedText.Encode("response.function_call_arguments.done");
    public static readonly JsonEncodedText CodeInterpreterInProgress = JsonEncodedText.Encode("response.code_interpreter_call.in_progress");
    public static readonly JsonEncodedText CodeInterpreterCodeDelta = JsonEncodedText.Encode("response.code_interpreter_call_code.delta");
    public static readonly JsonEncodedText CodeInterpreterCodeDone = JsonEncodedText.Encode("response.code_interpreter_call_code.done");
    public static readonly JsonEncodedText CodeInterpreterInterpreting = JsonEncodedText.Encode("response.code_interpreter_call.interpreting");
    public static readonly JsonEncodedText CodeInterpreterCompleted = JsonEncodedText.Encode("response.code_interpreter_call.completed");
    public static readonly JsonEncodedText FileSearchInProgress = JsonEncodedText.Encode("response.file_search_call.in_progress");
    public static readonly JsonEncodedText FileSearchSearching = JsonEncodedText.Encode("response.file_search_call.searching");
    public static readonly JsonEncodedText FileSearchCompleted = JsonEncodedText.Encode("response.file_search_call.completed");
    public static readonly JsonEncodedText WebSearchInProgress = JsonEncodedText.Encode("response.web_search_call.in_progress");
    public static readonly JsonEncodedText WebSearchSearching = JsonEncodedText.Encode("response.web_search_call.searching");
    public static readonly JsonEncodedText WebSearchCompleted = JsonEncodedText.Encode("response.web_search_call.completed");
}
