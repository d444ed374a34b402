namespace Bot.Testing.OpenAI;

/// <summary>The kinds of remote objects the ledger counts.</summary>
public enum FakeResourceKind
{
    Conversation,
    File,
    VectorStore,
    Container,
    Thread,
    Assistant,
}

/// <summary>A file uploaded through POST /files.</summary>
public sealed record FakeUploadedFile(string Id, string Filename, string Purpose, long Bytes, ReadOnlyMemory<byte> Content);

/// <summary>A file attached to a vector store (at creation or through POST /vector_stores/{id}/files).</summary>
public sealed record FakeVectorStoreFileLink(string VectorStoreId, string FileId);

/// <summary>What clients created and deleted on the fake, to prove a bot cleans up after itself (thread-safe).</summary>
public sealed class FakeOpenAILedger
{
    private readonly Lock _sync = new();
    private readonly Dictionary<FakeResourceKind, List<string>> _created = [];
    private readonly Dictionary<FakeResourceKind, List<string>> _deleted = [];
    private readonly List<FakeUploadedFile> _uploads = [];
    private readonly List<FakeVectorStoreFileLink> _links = [];

    public IReadOnlyList<string> CreatedConversations => Created(FakeResourceKind.Conversation);

    public IReadOnlyList<string> DeletedConversations => Deleted(FakeResourceKind.Conversation);

    public IReadOnlyList<string> CreatedFiles => Created(FakeResourceKind.File);

    public IReadOnlyList<string> DeletedFiles => Deleted(FakeResourceKind.File);

    public IReadOnlyList<string> CreatedVectorStores => Created(FakeResourceKind.VectorStore);

    public IReadOnlyList<string> DeletedVectorStores => Deleted(FakeResourceKind.VectorStore);

    public IReadOnlyList<string> CreatedThreads => Created(FakeResourceKind.Thread);

    public IReadOnlyList<string> DeletedThreads => Deleted(FakeResourceKind.Thread);

    /// <summary>Assistants clients created: a bot makes one and reuses it, so they are not counted as orphans.</summary>
    public IReadOnlyList<string> CreatedAssistants => Created(FakeResourceKind.Assistant);

    /// <summary>Containers the service made for code interpreter (or a client made) — expected to outlive the bot.</summary>
    public IReadOnlyList<string> CreatedContainers => Created(FakeResourceKind.Container);

    public IReadOnlyList<string> DeletedContainers => Deleted(FakeResourceKind.Container);

    /// <summary>
    /// Conversations, threads, files (uploaded or generated) and vector stores created and never deleted
    /// (containers expire by themselves; an assistant is meant to be reused).
    /// </summary>
    public IReadOnlyList<string> Orphans
    {
        get
        {
            lock (_sync)
            {
                var orphans = new List<string>();
                foreach (var kind in (ReadOnlySpan<FakeResourceKind>)[FakeResourceKind.Conversation, FakeResourceKind.Thread, FakeResourceKind.File, FakeResourceKind.VectorStore])
                {
                    var deleted = _deleted.TryGetValue(kind, out var d) ? d : [];
                    if (_created.TryGetValue(kind, out var created))
                    {
                        orphans.AddRange(created.Where(id => !deleted.Contains(id)));
                    }
                }

                return orphans;
            }
        }
    }

    public IReadOnlyList<FakeUploadedFile> UploadedFiles
    {
        get
        {
            lock (_sync)
            {
                return [.. _uploads];
            }
        }
    }

    /// <summary>Every attachment of a file to a vector store, in order.</summary>
    public IReadOnlyList<FakeVectorStoreFileLink> VectorStoreFiles
    {
        get
        {
            lock (_sync)
            {
                return [.. _links];
            }
        }
    }

    public IReadOnlyList<string> Created(FakeResourceKind kind)
    {
        lock (_sync)
        {
            return _created.TryGetValue(kind, out var list) ? [.. list] : [];
        }
    }

    public IReadOnlyList<string> Deleted(FakeResourceKind kind)
    {
        lock (_sync)
        {
            return _deleted.TryGetValue(kind, out var list) ? [.. list] : [];
        }
    }

    /// <summary>File ids attached to one vector store (in order, removals not subtracted).</summary>
    public IReadOnlyList<string> FilesAddedTo(string vectorStoreId)
    {
        lock (_sync)
        {
            return [.. _links.Where(l => l.VectorStoreId == vectorStoreId).Select(l => l.FileId)];
        }
    }

    internal void RecordCreated(FakeResourceKind kind, string id) => Add(_created, kind, id);

    internal void RecordDeleted(FakeResourceKind kind, string id) => Add(_deleted, kind, id);

    internal void RecordUpload(FakeUploadedFile file)
    {
        lock (_sync)
        {
            _uploads.Add(file);
            Add(_created, FakeResourceKind.File, file.Id);
        }
    }

    internal void RecordVectorStoreFile(string vectorStoreId, string fileId)
    {
        lock (_sync)
        {
            _links.Add(new FakeVectorStoreFileLink(vectorStoreId, fileId));
        }
    }

    private void Add(Dictionary<FakeResourceKind, List<string>> map, FakeResourceKind kind, string id)
    {
        lock (_sync)
        {
            if (!map.TryGetValue(kind, out var list))
            {
                map[kind] = list = [];
            }

            list.Add(id);
        }
    }
}
