using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>The message steps of a run (with citations and the files the code interpreter generated).</summary>
internal sealed partial class AssistantRun
{
    private static readonly JsonEncodedText s_stepCreated = JsonEncodedText.Encode("thread.run.step.created");
    private static readonly JsonEncodedText s_stepInProgress = JsonEncodedText.Encode("thread.run.step.in_progress");
    private static readonly JsonEncodedText s_stepDelta = JsonEncodedText.Encode("thread.run.step.delta");
    private static readonly JsonEncodedText s_stepCompleted = JsonEncodedText.Encode("thread.run.step.completed");
    private static readonly JsonEncodedText s_messageCreated = JsonEncodedText.Encode("thread.message.created");
    private static readonly JsonEncodedText s_messageInProgress = JsonEncodedText.Encode("thread.message.in_progress");
    private static readonly JsonEncodedText s_messageDelta = JsonEncodedText.Encode("thread.message.delta");
    private static readonly JsonEncodedText s_messageCompleted = JsonEncodedText.Encode("thread.message.completed");

    /// <summary>
    /// An assistant message: images the code interpreter drew come first as image_file parts, then the text, with a
    /// 【n:m†file】 marker and a file_citation per citation, and a sandbox link with a file_path per generated file.
    /// </summary>
    private async Task MessageAsync(string text, IReadOnlyList<FakeCitation> citations, bool suppressCompletion)
    {
        var message = new StoredMessage(FakeIds.ThreadMessage(), thread.Id, "assistant", FakeOpenAIState.Now())
        {
            RunId = run.Id,
            AssistantId = run.AssistantId,
            Status = "in_progress",
        };
        var step = new StoredRunStep(FakeIds.Step(), run.Id, "message_creation", FakeOpenAIState.Now()) { MessageId = message.Id };
        lock (thread.Sync)
        {
            thread.Messages.Add(message);
        }

        Set(r => r.Steps.Add(step));
        await StepEventAsync(s_stepCreated, step);
        await StepEventAsync(s_stepInProgress, step);
        await MessageEventAsync(s_messageCreated, message);
        await MessageEventAsync(s_messageInProgress, message);

        foreach (var image in _generated.Where(g => g.IsImage))
        {
            var part = new StoredContentPart("image_file", FileId: image.FileId);
            lock (thread.Sync)
            {
                message.Content.Add(part);
            }

            await DeltaAsync(message.Id, w => AssistantJson.WritePart(w, part, message.Content.Count - 1));
        }

        var (segments, final, annotations) = Compose(text, citations);
        var textIndex = message.Content.Count;
        var first = true;
        foreach (var (segment, annotation) in segments)
        {
            if (annotation is { } a)
            {
                await DeltaAsync(message.Id, w => WriteTextDelta(w, textIndex, a.Text, annotations.IndexOf(a), a, first));
                first = false;
                continue;
            }

            for (var position = 0; position < segment.Length;)
            {
                await PauseAsync();
                var length = TextChunker.Next(segment, position);
                var piece = segment.Substring(position, length);
                MarkFirstTextDelta();
                await DeltaAsync(message.Id, w => WriteTextDelta(w, textIndex, piece, -1, null, first));
                first = false;
                position += length;
                Set(r => r.CompletionTokens++);
            }
        }

        var paths = annotations.Where(a => a.Type == "file_path").ToList();
        foreach (var path in paths)
        {
            await DeltaAsync(message.Id, w => WriteTextDelta(w, textIndex, null, annotations.IndexOf(path), path, first: false));
        }

        _generated.Clear();
        lock (thread.Sync)
        {
            message.Content.Add(new StoredContentPart("text", final, Annotations: annotations));
            message.Status = "completed";
        }

        step.Status = "completed";
        if (suppressCompletion)
        {
            // A cut stream: the message is finished at the service, but its last events never reach the client.
            return;
        }

        await MessageEventAsync(s_messageCompleted, message);
        await StepEventAsync(s_stepCompleted, step);
    }

    /// <summary>Splits the text into streamed pieces and markers; returns the final value and its annotations.</summary>
    private (List<(string Text, ThreadAnnotation? Annotation)> Segments, string Final, List<ThreadAnnotation> Annotations) Compose(
        string text, IReadOnlyList<FakeCitation> citations)
    {
        if (text.Length == 0)
        {
            // The message a script did not write: it links the files the code interpreter made.
            text = string.Join("\n", _generated.Where(g => !g.IsImage).Select(f => $"[{f.Filename}](sandbox:/mnt/data/{f.Filename})"));
        }

        var segments = new List<(string, ThreadAnnotation?)>();
        var annotations = new List<ThreadAnnotation>();
        var final = new System.Text.StringBuilder();
        var position = 0;
        var number = 0;
        foreach (var citation in citations.OrderBy(c => c.Index))
        {
            var at = Math.Clamp(citation.Index, position, text.Length);
            segments.Add((text[position..at], null));
            final.Append(text, position, at - position);
            var marker = $"【{4 + number}:{number}†{citation.Filename}】";
            number++;
            var annotation = new ThreadAnnotation("file_citation", marker, final.Length, final.Length + marker.Length, citation.FileId);
            annotations.Add(annotation);
            segments.Add((marker, annotation));
            final.Append(marker);
            position = at;
        }

        segments.Add((text[position..], null));
        final.Append(text, position, text.Length - position);
        var value = final.ToString();
        foreach (var file in _generated.Where(g => !g.IsImage))
        {
            var link = $"sandbox:/mnt/data/{file.Filename}";
            // A file the text does not link is still annotated (at the start), as the Responses side does.
            var start = Math.Max(0, value.IndexOf(link, StringComparison.Ordinal));
            var end = value.IndexOf(link, StringComparison.Ordinal) < 0 ? start : start + link.Length;
            annotations.Add(new ThreadAnnotation("file_path", link, start, end, file.FileId));
        }

        return (segments, value, annotations);
    }

    private static void WriteTextDelta(Utf8JsonWriter w, int index, string? value, int annotationIndex, ThreadAnnotation? annotation, bool first)
    {
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteString("type", "text");
        w.WriteStartObject("text");
        if (value is not null)
        {
            w.WriteString("value", value);
        }

        if (annotation is not null)
        {
            w.WriteStartArray("annotations");
            AssistantJson.WriteAnnotation(w, annotation, annotationIndex);
            w.WriteEndArray();
        }
        else if (first)
        {
            w.WriteStartArray("annotations");
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private async Task MessageEventAsync(JsonEncodedText eventName, StoredMessage message)
    {
        if (sse is null)
        {
            return;
        }

        AssistantJson.WriteMessage(sse.BeginData(eventName), message);
        await sse.EndDataAsync();
    }

    private async Task DeltaAsync(string messageId, Action<Utf8JsonWriter> writePart)
    {
        if (sse is null)
        {
            return;
        }

        var w = sse.BeginObject(s_messageDelta);
        w.WriteString("id", messageId);
        w.WriteString("object", "thread.message.delta");
        w.WriteStartObject("delta");
        w.WriteStartArray("content");
        writePart(w);
        w.WriteEndArray();
        w.WriteEndObject();
        await sse.EndAsync();
    }

    private void MarkFirstTextDelta() => request.FirstTextDeltaAt ??= DateTimeOffset.UtcNow;
}
