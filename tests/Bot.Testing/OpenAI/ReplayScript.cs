using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>A recorded `.sse` fixture cut into events, with what the fake must know to serve it.</summary>
internal sealed class ReplayScript
{
    // A 1×1 transparent PNG: the placeholder for a cited chart, so a bot can download and post "an image".
    private static readonly byte[] s_tinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private ReplayScript()
    {
    }

    /// <summary>Each event's bytes including its blank-line terminator; concatenated they are the file.</summary>
    public List<ReadOnlyMemory<byte>> Events { get; } = [];

    public string? ResponseId { get; private set; }

    /// <summary>`response.completed`, `.failed` or `.incomplete` when the recording has a terminal event.</summary>
    public string? TerminalType { get; private set; }

    /// <summary>The terminal event's response object as recorded (the body of a non-streamed replay).</summary>
    public byte[]? FinalResponse { get; private set; }

    public List<JsonItem> OutputItems { get; } = [];

    public List<(string ContainerId, string FileId, string Filename)> ContainerFiles { get; } = [];

    public List<(string FileId, string Filename)> CitedFiles { get; } = [];

    public static ReplayScript Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var script = new ReplayScript();
        var memory = bytes.AsMemory();
        var start = 0;
        while (start < bytes.Length)
        {
            var end = memory.Span[start..].IndexOf("\n\n"u8);
            var length = end < 0 ? bytes.Length - start : end + 2;
            var frame = memory.Slice(start, length);
            script.Events.Add(frame);
            script.Inspect(frame.Span);
            start += length;
        }

        return script;
    }

    /// <summary>Makes the cited container files and files exist, so a bot can fetch what the recording cites.</summary>
    public void RegisterPlaceholders(FakeOpenAIState state)
    {
        foreach (var (containerId, fileId, filename) in ContainerFiles)
        {
            var container = state.Containers.GetOrAdd(containerId, id => new StoredContainer(id, "Replayed container", FakeOpenAIState.Now()));
            lock (container.Sync)
            {
                if (!container.Files.Exists(f => f.Id == fileId))
                {
                    container.Files.Add(new StoredContainerFile(fileId, containerId, $"/mnt/data/{filename}", "assistant", Placeholder(filename), FakeOpenAIState.Now()));
                }
            }
        }

        foreach (var (fileId, filename) in CitedFiles)
        {
            state.Files.TryAdd(fileId, new StoredFile(fileId, filename, "assistants", Placeholder(filename), FakeOpenAIState.Now()));
        }
    }

    private static byte[] Placeholder(string filename) =>
        filename.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            ? s_tinyPng
            : System.Text.Encoding.UTF8.GetBytes($"Placeholder content for {filename}.\n");

    private void Inspect(ReadOnlySpan<byte> frame)
    {
        var data = frame.IndexOf("data: "u8);
        if (data < 0)
        {
            return;
        }

        var json = frame[(data + 6)..];
        var newline = json.IndexOf((byte)'\n');
        json = newline < 0 ? json : json[..newline];
        if (json.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var type = ParsedResponseRequest.String(root, "type");
        var responseObject = ParsedResponseRequest.Property(root, "response");
        if (type == "response.created")
        {
            ResponseId = ParsedResponseRequest.String(responseObject, "id");
        }
        else if (type is "response.completed" or "response.failed" or "response.incomplete")
        {
            TerminalType = type;
            FinalResponse = System.Text.Encoding.UTF8.GetBytes(responseObject.GetRawText());
            foreach (var item in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(responseObject, "output")))
            {
                OutputItems.Add(JsonItem.FromOutput(item));
            }
        }
        else if (type == "response.output_text.annotation.added")
        {
            var annotation = ParsedResponseRequest.Property(root, "annotation");
            var fileId = ParsedResponseRequest.String(annotation, "file_id");
            var filename = ParsedResponseRequest.String(annotation, "filename") ?? "file";
            switch (ParsedResponseRequest.String(annotation, "type"))
            {
                case "container_file_citation" when fileId is not null && ParsedResponseRequest.String(annotation, "container_id") is { } containerId:
                    ContainerFiles.Add((containerId, fileId, filename));
                    break;
                case "file_citation" when fileId is not null:
                    CitedFiles.Add((fileId, filename));
                    break;
            }
        }
    }
}
