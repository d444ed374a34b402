namespace Bot.Testing.OpenAI;

/// <summary>A conversation as the fake keeps it: its items and who is generating on it right now.</summary>
internal sealed class StoredConversation(string id, long createdAt, Dictionary<string, string> metadata)
{
    public string Id { get; } = id;

    public long CreatedAt { get; } = createdAt;

    /// <summary>Guards everything below.</summary>
    public Lock Sync { get; } = new();

    public Dictionary<string, string> Metadata { get; set; } = metadata;

    /// <summary>Items in the order they were added (oldest first).</summary>
    public List<FakeItem> Items { get; } = [];

    /// <summary>The response that holds the conversation's lock, null when idle.</summary>
    public string? ActiveResponseId { get; set; }

    /// <summary>POST /responses requests for this conversation being handled now, including rejected ones.</summary>
    public int InFlight { get; set; }

    /// <summary>The auto container the service made for this conversation's code interpreter.</summary>
    public string? ContainerId { get; set; }
}

/// <summary>An uploaded file: <see cref="Content"/>, or <see cref="Size"/> zero bytes made up when served.</summary>
internal sealed record StoredFile(string Id, string Filename, string Purpose, byte[] Content, long CreatedAt, long? Size = null)
{
    public long Bytes => Size ?? Content.LongLength;
}

/// <summary>A vector store and the files attached to it.</summary>
internal sealed class StoredVectorStore(string id, string name, long createdAt, Dictionary<string, string> metadata)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public long CreatedAt { get; } = createdAt;

    public Dictionary<string, string> Metadata { get; } = metadata;

    public Lock Sync { get; } = new();

    /// <summary>Attached files in the order they were added.</summary>
    public List<StoredVectorStoreFile> Files { get; } = [];
}

/// <summary>One file's membership of a vector store.</summary>
internal sealed class StoredVectorStoreFile(string fileId, string vectorStoreId, long createdAt, long bytes, string status)
{
    public string FileId { get; } = fileId;

    public string VectorStoreId { get; } = vectorStoreId;

    public long CreatedAt { get; } = createdAt;

    public long Bytes { get; } = bytes;

    public string Status { get; set; } = status;
}

/// <summary>A code-interpreter container and its files.</summary>
internal sealed class StoredContainer(string id, string name, long createdAt)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public long CreatedAt { get; } = createdAt;

    public Lock Sync { get; } = new();

    /// <summary>Files in the order they were written (guarded by <see cref="Sync"/>).</summary>
    public List<StoredContainerFile> Files { get; } = [];

    public StoredContainerFile? FindFile(string fileId)
    {
        lock (Sync)
        {
            return Files.Find(f => f.Id == fileId);
        }
    }
}

/// <summary>A file inside a container (`cfile_…`): <see cref="Content"/>, or <see cref="Size"/> zero bytes made up when served.</summary>
internal sealed record StoredContainerFile(string Id, string ContainerId, string Path, string Source, byte[] Content, long CreatedAt, long? Size = null)
{
    public long Bytes => Size ?? Content.LongLength;
}
