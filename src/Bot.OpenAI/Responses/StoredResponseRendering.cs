using System.Buffers;
using System.Text.Json;

namespace Bot.OpenAI.Responses;

/// <summary>
/// A response that had already ended when the turn was picked up (GET /responses/{id}), given as the events its stream
/// would have ended with: <c>response.created</c>, per output item its annotations, finished text parts or refusals and
/// <c>response.output_item.done</c>, then the terminal event. They go through the same parser and translator as a
/// stream, so the reply, its citations, files, function calls and usage come out the same.
/// </summary>
internal sealed class StoredResponseRendering : IResponseEvents
{
    private readonly List<ResponseStreamEvent> _events = [];
    private int _next = -1;

    /// <param name="response">The response object as GET /responses/{id} returns it.</param>
    /// <param name="maxImageBytes">The most a generated image may decode to.</param>
    public StoredResponseRendering(JsonElement response, long maxImageBytes)
    {
        var parser = new ResponseEventParser(maxImageBytes);
        var buffer = new ArrayBufferWriter<byte>(4096);
        var sequence = 0;

        void Add(string type, Action<Utf8JsonWriter> properties)
        {
            buffer.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                w.WriteNumber("sequence_number", sequence++);
                properties(w);
                w.WriteEndObject();
            }

            _events.Add(parser.Parse(type, buffer.WrittenSpan));
        }

        Add("response.created", w => { w.WritePropertyName("response"); response.WriteTo(w); });
        var outputIndex = 0;
        if (response.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                var index = outputIndex++;
                if (Text(item, "type") == "message" && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                    AddMessage(item, index, content, Add);
                Add("response.output_item.done", w =>
                {
                    w.WriteNumber("output_index", index);
                    w.WritePropertyName("item");
                    item.WriteTo(w);
                });
            }
        }

        var terminal = Text(response, "status") switch
        {
            "completed" => "response.completed",
            "incomplete" => "response.incomplete",
            "failed" => "response.failed",
            _ => null, // cancelled: no terminal event, as a stream of it would end
        };
        if (terminal is not null)
            Add(terminal, w => { w.WritePropertyName("response"); response.WriteTo(w); });
    }

    public ResponseStreamEvent Current => _events[_next];

    public string? RunningResponseId => null;

    public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(++_next < _events.Count);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // Annotations before the finished text, as a stream sends them: the translator places them in that text.
    private static void AddMessage(JsonElement item, int outputIndex, JsonElement content, Action<string, Action<Utf8JsonWriter>> add)
    {
        var itemId = Text(item, "id") ?? $"msg_{outputIndex}";
        var contentIndex = 0;
        foreach (var part in content.EnumerateArray())
        {
            var index = contentIndex++;
            void Head(Utf8JsonWriter w)
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", outputIndex);
                w.WriteNumber("content_index", index);
            }

            switch (Text(part, "type"))
            {
                case "output_text":
                    if (part.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Array)
                    {
                        var annotationIndex = 0;
                        foreach (var annotation in annotations.EnumerateArray())
                        {
                            var number = annotationIndex++;
                            add("response.output_text.annotation.added", w =>
                            {
                                Head(w);
                                w.WriteNumber("annotation_index", number);
                                w.WritePropertyName("annotation");
                                annotation.WriteTo(w);
                            });
                        }
                    }

                    add("response.output_text.done", w =>
                    {
                        Head(w);
                        w.WriteString("text", Text(part, "text") ?? "");
                        w.WriteStartArray("logprobs");
                        w.WriteEndArray();
                    });
                    break;
                case "refusal":
                    add("response.refusal.delta", w =>
                    {
                        Head(w);
                        w.WriteString("delta", Text(part, "refusal") ?? "");
                    });
                    break;
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
