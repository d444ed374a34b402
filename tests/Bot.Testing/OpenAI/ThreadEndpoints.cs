using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/threads and their messages. A thread with an active run refuses new messages, as the service does.</summary>
internal sealed class ThreadEndpoints(FakeOpenAIState state)
{
    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/threads", CreateAsync);
        v1.MapGet("/threads/{id}", GetAsync);
        v1.MapPost("/threads/{id}", ModifyAsync);
        v1.MapDelete("/threads/{id}", DeleteAsync);
        v1.MapPost("/threads/{id}/messages", AddMessageAsync);
        v1.MapGet("/threads/{id}/messages", ListMessagesAsync);
        v1.MapGet("/threads/{id}/messages/{messageId}", GetMessageAsync);
    }

    public static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"No thread found with id '{id}'.");

    /// <summary>The message that a run on a locked thread refuses (HTTP 400), word for word as the service says it.</summary>
    public static string RunActiveMessage(string threadId, string runId) => $"Can't add messages to {threadId} while a run {runId} is active.";

    private async Task CreateAsync(HttpContext context)
    {
        using var body = await AssistantEndpoints.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var thread = new StoredThread(FakeIds.Thread(), FakeOpenAIState.Now(), OpenAIHttp.ReadMetadata(root));
        foreach (var message in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(root, "messages")))
        {
            if (await ParseMessageAsync(context, thread, message) is not { } parsed)
            {
                return;
            }

            Add(thread, parsed);
        }

        state.Threads[thread.Id] = thread;
        state.Ledger.RecordCreated(FakeResourceKind.Thread, thread.Id);
        await OpenAIHttp.OkAsync(context, thread, AssistantJson.WriteThread);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.Threads.TryGetValue(id, out var thread) ? OpenAIHttp.OkAsync(context, thread, AssistantJson.WriteThread) : NotFoundAsync(context, id);
    }

    private async Task ModifyAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        using var body = await AssistantEndpoints.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        if (!state.Threads.TryGetValue(id, out var thread))
        {
            await NotFoundAsync(context, id);
            return;
        }

        if (ParsedResponseRequest.Property(body.RootElement, "metadata").ValueKind == JsonValueKind.Object)
        {
            lock (thread.Sync)
            {
                thread.Metadata = OpenAIHttp.ReadMetadata(body.RootElement);
            }
        }

        await OpenAIHttp.OkAsync(context, thread, AssistantJson.WriteThread);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Threads.TryRemove(id, out var thread))
        {
            return NotFoundAsync(context, id);
        }

        lock (thread.Sync)
        {
            foreach (var run in thread.Runs)
            {
                run.Cancellation.Cancel();
            }
        }

        state.Ledger.RecordDeleted(FakeResourceKind.Thread, id);
        return OpenAIHttp.DeletedAsync(context, id, "thread.deleted");
    }

    private async Task AddMessageAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        using var body = await AssistantEndpoints.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        if (!state.Threads.TryGetValue(id, out var thread))
        {
            await NotFoundAsync(context, id);
            return;
        }

        if (await ParseMessageAsync(context, thread, body.RootElement) is not { } message)
        {
            return;
        }

        string? activeRunId;
        lock (thread.Sync)
        {
            activeRunId = thread.ActiveRun?.Id;
            if (activeRunId is null)
            {
                Add(thread, message);
            }
        }

        if (activeRunId is not null)
        {
            state.RecordRunActiveError();
            await OpenAIHttp.BadRequestAsync(context, RunActiveMessage(id, activeRunId));
            return;
        }

        await OpenAIHttp.OkAsync(context, message, AssistantJson.WriteMessage);
    }

    private Task ListMessagesAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Threads.TryGetValue(id, out var thread))
        {
            return NotFoundAsync(context, id);
        }

        var runId = context.Request.Query["run_id"].ToString();
        List<StoredMessage> messages;
        lock (thread.Sync)
        {
            messages = [.. thread.Messages.Where(m => runId.Length == 0 || m.RunId == runId)];
        }

        return OpenAIHttp.OkAsync(context, (context.Request, messages), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.messages, static m => m.Id, AssistantJson.WriteMessage));
    }

    private Task GetMessageAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        var messageId = OpenAIHttp.Route(context, "messageId");
        StoredMessage? message = null;
        if (state.Threads.TryGetValue(id, out var thread))
        {
            lock (thread.Sync)
            {
                message = thread.Messages.Find(m => m.Id == messageId);
            }
        }

        return message is null
            ? OpenAIHttp.NotFoundAsync(context, $"No message found with id '{messageId}'.")
            : OpenAIHttp.OkAsync(context, message, AssistantJson.WriteMessage);
    }

    /// <summary>Parses a CreateMessageRequest (string or parts content, attachments); null after writing a 4xx.</summary>
    private async Task<StoredMessage?> ParseMessageAsync(HttpContext context, StoredThread thread, JsonElement root)
    {
        var role = ParsedResponseRequest.String(root, "role");
        if (role is not ("user" or "assistant"))
        {
            await OpenAIHttp.BadRequestAsync(context, $"Invalid value: '{role}'. Supported values are: 'user' and 'assistant'.", "invalid_value", "role");
            return null;
        }

        var message = new StoredMessage(FakeIds.ThreadMessage(), thread.Id, role, FakeOpenAIState.Now()) { Metadata = OpenAIHttp.ReadMetadata(root) };
        var content = ParsedResponseRequest.Property(root, "content");
        if (content.ValueKind == JsonValueKind.String)
        {
            message.Content.Add(new StoredContentPart("text", content.GetString(), Annotations: []));
        }

        foreach (var part in ParsedResponseRequest.Elements(content))
        {
            switch (ParsedResponseRequest.String(part, "type"))
            {
                case "text":
                    message.Content.Add(new StoredContentPart("text", ParsedResponseRequest.String(part, "text") ?? string.Empty, Annotations: []));
                    break;
                case "image_file":
                    var imageId = ParsedResponseRequest.String(ParsedResponseRequest.Property(part, "image_file"), "file_id") ?? string.Empty;
                    if (!state.Files.ContainsKey(imageId))
                    {
                        await FileEndpoints.NotFoundAsync(context, imageId);
                        return null;
                    }

                    message.Content.Add(new StoredContentPart("image_file", FileId: imageId));
                    break;
            }
        }

        if (message.Content.Count == 0)
        {
            await OpenAIHttp.BadRequestAsync(context, "Invalid 'content': empty array. Expected an array with minimum length 1.", "empty_array", "content");
            return null;
        }

        foreach (var attachment in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(root, "attachments")))
        {
            var fileId = ParsedResponseRequest.String(attachment, "file_id") ?? string.Empty;
            if (!state.Files.ContainsKey(fileId))
            {
                await FileEndpoints.NotFoundAsync(context, fileId);
                return null;
            }

            var tools = ParsedResponseRequest.Elements(ParsedResponseRequest.Property(attachment, "tools"))
                .Select(t => ParsedResponseRequest.String(t, "type") ?? string.Empty).ToList();
            message.Attachments.Add(new StoredAttachment(fileId, tools));
        }

        return message;
    }

    /// <summary>Adds a message (caller holds the thread's lock); its attachments join the thread's tool resources.</summary>
    private void Add(StoredThread thread, StoredMessage message)
    {
        thread.Messages.Add(message);
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Tools.Contains("code_interpreter") && !thread.CodeInterpreterFileIds.Contains(attachment.FileId))
            {
                thread.CodeInterpreterFileIds.Add(attachment.FileId);
            }

            if (attachment.Tools.Contains("file_search"))
            {
                AddToThreadVectorStore(thread, attachment.FileId);
            }
        }
    }

    // A file_search attachment goes into the thread's vector store, made on first use (openai.md §2.4).
    private void AddToThreadVectorStore(StoredThread thread, string fileId)
    {
        StoredVectorStore store;
        if (thread.VectorStoreIds.Count > 0 && state.VectorStores.TryGetValue(thread.VectorStoreIds[0], out var existing))
        {
            store = existing;
        }
        else
        {
            store = new StoredVectorStore(FakeIds.VectorStore(), $"Vector store for {thread.Id}", FakeOpenAIState.Now(), []);
            state.VectorStores[store.Id] = store;
            state.Ledger.RecordCreated(FakeResourceKind.VectorStore, store.Id);
            thread.VectorStoreIds.Clear();
            thread.VectorStoreIds.Add(store.Id);
        }

        var bytes = state.Files.TryGetValue(fileId, out var file) ? file.Content.LongLength : 0;
        lock (store.Sync)
        {
            if (!store.Files.Exists(f => f.FileId == fileId))
            {
                store.Files.Add(new StoredVectorStoreFile(fileId, store.Id, FakeOpenAIState.Now(), bytes, "completed"));
                state.Ledger.RecordVectorStoreFile(store.Id, fileId);
            }
        }
    }
}
