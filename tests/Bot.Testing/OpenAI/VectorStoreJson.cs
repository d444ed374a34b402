using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>The vector store, vector store file and file batch objects as the service writes them.</summary>
internal static class VectorStoreJson
{
    public static void WriteStore(Utf8JsonWriter w, StoredVectorStore store)
    {
        lock (store.Sync)
        {
            var inProgress = store.Files.Count(f => f.Status == "in_progress");
            w.WriteStartObject();
            w.WriteString("id", store.Id);
            w.WriteString("object", "vector_store");
            w.WriteNumber("created_at", store.CreatedAt);
            w.WriteString("name", store.Name);
            w.WriteNumber("usage_bytes", store.Files.Sum(f => f.Bytes));
            WriteCounts(w, store.Files);
            w.WriteString("status", inProgress > 0 ? "in_progress" : "completed");
            w.WriteNull("expires_after");
            w.WriteNull("expires_at");
            w.WriteNumber("last_active_at", FakeOpenAIState.Now());
            OpenAIHttp.WriteMetadata(w, store.Metadata);
            w.WriteEndObject();
        }
    }

    private static void WriteCounts(Utf8JsonWriter w, IReadOnlyCollection<StoredVectorStoreFile> files)
    {
        var inProgress = files.Count(f => f.Status == "in_progress");
        w.WriteStartObject("file_counts");
        w.WriteNumber("in_progress", inProgress);
        w.WriteNumber("completed", files.Count - inProgress);
        w.WriteNumber("failed", 0);
        w.WriteNumber("cancelled", 0);
        w.WriteNumber("total", files.Count);
        w.WriteEndObject();
    }

    public static void WriteStoreFile(Utf8JsonWriter w, StoredVectorStoreFile file)
    {
        w.WriteStartObject();
        w.WriteString("id", file.FileId);
        w.WriteString("object", "vector_store.file");
        w.WriteNumber("usage_bytes", file.Bytes);
        w.WriteNumber("created_at", file.CreatedAt);
        w.WriteString("vector_store_id", file.VectorStoreId);
        w.WriteString("status", file.Status);
        w.WriteNull("last_error");
        w.WriteStartObject("chunking_strategy");
        w.WriteString("type", "static");
        w.WriteStartObject("static");
        w.WriteNumber("max_chunk_size_tokens", 800);
        w.WriteNumber("chunk_overlap_tokens", 400);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("attributes");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteBatch(Utf8JsonWriter w, string batchId, StoredVectorStore store, List<StoredVectorStoreFile> files)
    {
        lock (store.Sync)
        {
            w.WriteStartObject();
            w.WriteString("id", batchId);
            w.WriteString("object", "vector_store.files_batch");
            w.WriteNumber("created_at", FakeOpenAIState.Now());
            w.WriteString("vector_store_id", store.Id);
            w.WriteString("status", files.Exists(f => f.Status == "in_progress") ? "in_progress" : "completed");
            WriteCounts(w, files);
            w.WriteEndObject();
        }
    }
}
