using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>The tool-call steps of a run: function calls, code interpreter (with a generated file), file search.</summary>
internal sealed partial class AssistantRun
{
    private const int ArgumentDeltas = 4;

    /// <summary>A function call: a tool_calls step left in progress until the outputs arrive; the run will require action.</summary>
    private async Task FunctionCallAsync(FunctionCallStep call)
    {
        var toolCall = new StepToolCall(call.CallId ?? FakeIds.Call(), "function", FunctionName: call.Name, Arguments: call.Arguments);
        var step = new StoredRunStep(FakeIds.Step(), run.Id, "tool_calls", FakeOpenAIState.Now()) { ToolCall = toolCall };
        Set(r =>
        {
            r.Steps.Add(step);
            r.RequiredCalls.Add((toolCall.Id, call.Name, call.Arguments));
        });
        await StepEventAsync(s_stepCreated, step);
        await StepEventAsync(s_stepInProgress, step);
        for (var position = 0; position < call.Arguments.Length;)
        {
            await PauseAsync();
            var length = TextChunker.NextEven(call.Arguments, position, ArgumentDeltas);
            var piece = call.Arguments.Substring(position, length);
            var withId = position == 0;
            await StepDeltaAsync(step, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                if (withId)
                {
                    w.WriteString("id", toolCall.Id);
                }

                w.WriteString("type", "function");
                w.WriteStartObject("function");
                if (withId)
                {
                    w.WriteString("name", call.Name);
                }

                w.WriteString("arguments", piece);
                w.WriteNull("output");
                w.WriteEndObject();
                w.WriteEndObject();
            });
            position += length;
            Set(r => r.CompletionTokens++);
        }
    }

    /// <summary>On a submit: the function steps that waited for their outputs complete.</summary>
    private async Task CompleteFunctionStepsAsync()
    {
        List<StoredRunStep> waiting;
        lock (run.Sync)
        {
            waiting = [.. run.Steps.Where(s => s.Status == "in_progress" && s.ToolCall?.Type == "function")];
            waiting.ForEach(s => s.Status = "completed");
        }

        foreach (var step in waiting)
        {
            await StepEventAsync(s_stepCompleted, step);
        }
    }

    /// <summary>A code_interpreter call that writes a file (purpose assistants_output); a PNG also shows as an image output.</summary>
    private async Task CodeInterpreterAsync(CodeInterpreterStep code)
    {
        var isImage = code.Filename.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        var file = new StoredFile(FakeIds.File(), code.Filename, "assistants_output", code.Content, FakeOpenAIState.Now(), code.Size);
        state.Files[file.Id] = file;
        state.Ledger.RecordCreated(FakeResourceKind.File, file.Id);
        _generated.Add(new GeneratedOutput(file.Id, code.Filename, isImage));

        var toolCall = new StepToolCall(FakeIds.Call(), "code_interpreter", code.Code, $"Saved /mnt/data/{code.Filename} ({file.Bytes} bytes)",
            isImage ? file.Id : null);
        var step = new StoredRunStep(FakeIds.Step(), run.Id, "tool_calls", FakeOpenAIState.Now()) { ToolCall = toolCall };
        Set(r => r.Steps.Add(step));
        await StepEventAsync(s_stepCreated, step);
        await StepEventAsync(s_stepInProgress, step);
        for (var position = 0; position < code.Code.Length;)
        {
            await PauseAsync();
            var length = TextChunker.Next(code.Code, position);
            var piece = code.Code.Substring(position, length);
            var withId = position == 0;
            await StepDeltaAsync(step, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                if (withId)
                {
                    w.WriteString("id", toolCall.Id);
                }

                w.WriteString("type", "code_interpreter");
                w.WriteStartObject("code_interpreter");
                w.WriteString("input", piece);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            position += length;
            Set(r => r.CompletionTokens++);
        }

        await StepDeltaAsync(step, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteString("type", "code_interpreter");
            w.WriteStartObject("code_interpreter");
            w.WriteStartArray("outputs");
            AssistantJson.WriteCodeOutputs(w, toolCall, withIndex: true);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        step.Status = "completed";
        await StepEventAsync(s_stepCompleted, step);
    }

    private async Task FileSearchAsync()
    {
        var step = new StoredRunStep(FakeIds.Step(), run.Id, "tool_calls", FakeOpenAIState.Now()) { ToolCall = new StepToolCall(FakeIds.Call(), "file_search") };
        Set(r => r.Steps.Add(step));
        await StepEventAsync(s_stepCreated, step);
        await StepEventAsync(s_stepInProgress, step);
        // A search takes a while on the real service (it is when "Searching files…" shows): ten token intervals here.
        for (var i = 0; i < 10; i++)
        {
            await PauseAsync();
        }

        step.Status = "completed";
        await StepEventAsync(s_stepCompleted, step);
    }

    private async Task StepEventAsync(JsonEncodedText eventName, StoredRunStep step)
    {
        if (sse is null)
        {
            return;
        }

        AssistantJson.WriteStep(sse.BeginData(eventName), step, run);
        await sse.EndDataAsync();
    }

    private async Task StepDeltaAsync(StoredRunStep step, Action<Utf8JsonWriter> writeToolCall)
    {
        if (sse is null)
        {
            return;
        }

        var w = sse.BeginObject(s_stepDelta);
        w.WriteString("id", step.Id);
        w.WriteString("object", "thread.run.step.delta");
        w.WriteStartObject("delta");
        w.WriteStartObject("step_details");
        w.WriteString("type", "tool_calls");
        w.WriteStartArray("tool_calls");
        writeToolCall(w);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        await sse.EndAsync();
    }
}
