using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/vector_stores: stores, their files and file batches.</summary>
internal sealed class VectorStoreEndpoints(FakeOpenAIState state)
{
    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/vector_stores", CreateAsync);
        v1.MapGet("/vector_stores/{id}", GetAsync);
        v1.MapDelete("/vector_stores/{id}", DeleteAsync);
        v1.MapPost("/vector_stores/{id}/files", AddFileAsync);
        v1.MapGet("/vector_stores/{id}/files", ListFilesAsync);
        v1.MapGet("/vector_stores/{id}/files/{fileId}", GetFileAsync);
        v1.MapDelete("/vector_stores/{id}/files/{fileId}", RemoveFileAsync);
        v1.MapPost("/vector_stores/{id}/file_batches", AddBatchAsync);
        v1.MapGet("/vector_stores/{id}/file_batches/{batchId}", GetBatchAsync);
    }

    public static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"No vector store found with id '{id}'.");

    private async Task CreateAsync(HttpContext context)
    {
        using var body = await OpenAIHttp.ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var fileIds = ParsedResponseRequest.Strings(ParsedResponseRequest.Property(root, "file_ids"));
        if (fileIds.Find(id => !state.Files.ContainsKey(id)) is { } missing)
        {
            await FileEndpoints.NotFoundAsync(context, missing);
            return;
        }

        var store = new StoredVectorStore(FakeIds.VectorStore(), ParsedResponseRequest.String(root, "name") ?? string.Empty, FakeOpenAIState.Now(), OpenAIHttp.ReadMetadata(root));
        state.VectorStores[store.Id] = store;
        state.Ledger.RecordCreated(FakeResourceKind.VectorStore, store.Id);
        foreach (var fileId in fileIds)
        {
            Attach(store, fileId);
        }

        await OpenAIHttp.OkAsync(context, store, VectorStoreJson.WriteStore);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.VectorStores.TryGetValue(id, out var store) ? OpenAIHttp.OkAsync(context, store, VectorStoreJson.WriteStore) : NotFoundAsync(context, id);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.VectorStores.TryRemove(id, out _))
        {
            return NotFoundAsync(context, id);
        }

        state.Ledger.RecordDeleted(FakeResourceKind.VectorStore, id);
        return OpenAIHttp.DeletedAsync(context, id, "vector_store.deleted");
    }

    private async Task AddFileAsync(HttpContext context)
    {
        var (body, store) = await ReadForStoreAsync(context);
        using var disposeBody = body;
        if (body is null || store is null)
        {
            return;
        }

        var fileId = ParsedResponseRequest.String(body.RootElement, "file_id");
        if (fileId is null)
        {
            await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'file_id'.", "missing_required_parameter", "file_id");
            return;
        }

        if (!state.Files.ContainsKey(fileId))
        {
            await FileEndpoints.NotFoundAsync(context, fileId);
            return;
        }

        await OpenAIHttp.OkAsync(context, Attach(store, fileId), VectorStoreJson.WriteStoreFile);
    }

    private Task ListFilesAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.VectorStores.TryGetValue(id, out var store))
        {
            return NotFoundAsync(context, id);
        }

        var filter = context.Request.Query["filter"].ToString();
        StoredVectorStoreFile[] files;
        lock (store.Sync)
        {
            files = [.. store.Files.Where(f => filter.Length == 0 || f.Status == filter)];
        }

        return OpenAIHttp.OkAsync(context, (context.Request, files), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.files, static f => f.FileId, VectorStoreJson.WriteStoreFile));
    }

    private Task GetFileAsync(HttpContext context)
    {
        var (store, file) = Find(context);
        if (store is null || file is null)
        {
            return store is null ? NotFoundAsync(context, OpenAIHttp.Route(context, "id")) : FileNotInStoreAsync(context);
        }

        // A file attached "in_progress" (VectorStoreFileStatusOnCreate) is done by the time the client looks again.
        lock (store.Sync)
        {
            file.Status = "completed";
        }

        return OpenAIHttp.OkAsync(context, file, VectorStoreJson.WriteStoreFile);
    }

    private Task RemoveFileAsync(HttpContext context)
    {
        var (store, file) = Find(context);
        if (store is null || file is null)
        {
            return store is null ? NotFoundAsync(context, OpenAIHttp.Route(context, "id")) : FileNotInStoreAsync(context);
        }

        lock (store.Sync)
        {
            store.Files.Remove(file);
        }

        return OpenAIHttp.DeletedAsync(context, file.FileId, "vector_store.file.deleted");
    }

    private async Task AddBatchAsync(HttpContext context)
    {
        var (body, store) = await ReadForStoreAsync(context);
        using var disposeBody = body;
        if (body is null || store is null)
        {
            return;
        }

        var fileIds = ParsedResponseRequest.Strings(ParsedResponseRequest.Property(body.RootElement, "file_ids"));
        if (fileIds.Find(f => !state.Files.ContainsKey(f)) is { } missing)
        {
            await FileEndpoints.NotFoundAsync(context, missing);
            return;
        }

        var files = fileIds.Select(f => Attach(store, f)).ToList();

        // The fake finishes a batch at once, so its id only needs to name the store it belongs to.
        var batchId = FakeIds.VectorStoreFileBatch();
        await OpenAIHttp.OkAsync(context, (batchId, store, files), static (w, s) => VectorStoreJson.WriteBatch(w, s.batchId, s.store, s.files));
    }

    private Task GetBatchAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.VectorStores.TryGetValue(id, out var store))
        {
            return NotFoundAsync(context, id);
        }

        List<StoredVectorStoreFile> files;
        lock (store.Sync)
        {
            store.Files.ForEach(f => f.Status = "completed");
            files = [.. store.Files];
        }

        return OpenAIHttp.OkAsync(context, (OpenAIHttp.Route(context, "batchId"), store, files), static (w, s) => VectorStoreJson.WriteBatch(w, s.Item1, s.store, s.files));
    }

    // Reads a POST's JSON body and the vector store its route names; on a bad body or an unknown store it has
    // answered the request already and returns nulls.
    private async Task<(System.Text.Json.JsonDocument? Body, StoredVectorStore? Store)> ReadForStoreAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        var body = await OpenAIHttp.ReadJsonAsync(context);
        if (body is null)
        {
            return (null, null);
        }

        if (!state.VectorStores.TryGetValue(id, out var store))
        {
            body.Dispose();
            await NotFoundAsync(context, id);
            return (null, null);
        }

        return (body, store);
    }

    private StoredVectorStoreFile Attach(StoredVectorStore store, string fileId)
    {
        var file = state.Files[fileId];
        lock (store.Sync)
        {
            var existing = store.Files.Find(f => f.FileId == fileId);
            if (existing is not null)
            {
                return existing;
            }

            var attached = new StoredVectorStoreFile(fileId, store.Id, FakeOpenAIState.Now(), file.Content.LongLength, state.VectorStoreFileStatusOnCreate);
            store.Files.Add(attached);
            state.Ledger.RecordVectorStoreFile(store.Id, fileId);
            return attached;
        }
    }

    private (StoredVectorStore? Store, StoredVectorStoreFile? File) Find(HttpContext context)
    {
        if (!state.VectorStores.TryGetValue(OpenAIHttp.Route(context, "id"), out var store))
        {
            return (null, null);
        }

        var fileId = OpenAIHttp.Route(context, "fileId");
        lock (store.Sync)
        {
            return (store, store.Files.Find(f => f.FileId == fileId));
        }
    }

    private static Task FileNotInStoreAsync(HttpContext context) =>
        OpenAIHttp.NotFoundAsync(context, $"No file found with id '{OpenAIHttp.Route(context, "fileId")}' in vector store '{OpenAIHttp.Route(context, "id")}'.");
}
