using System.Collections.Concurrent;

namespace Bot.Testing.OpenAI;

/// <summary>Everything one fake server knows: resources, the script queue, settings and observations.</summary>
/// <remarks>One instance per server and nothing static, so several servers (or processes) never share state.</remarks>
internal sealed partial class FakeOpenAIState
{
    private readonly Lock _observationsSync = new();
    private readonly List<FakeResponseRequest> _responseRequests = [];
    private readonly List<string> _requestLog = [];
    private readonly ConcurrentQueue<FakeResponse> _script = new();
    private readonly List<FakeResponseRequest> _runRequests = [];
    private int _conversationConflicts;
    private int _runActiveErrors;
    private int _maxConcurrentPerConversation;

    public ConcurrentDictionary<string, StoredConversation> Conversations { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StoredFile> Files { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StoredVectorStore> VectorStores { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StoredContainer> Containers { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StoredResponse> Responses { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StoredAssistant> Assistants { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StoredThread> Threads { get; } = new(StringComparer.Ordinal);

    /// <summary>Parsed fixtures by full path, so a benchmark replaying one file a thousand times reads it once.</summary>
    public ConcurrentDictionary<string, ReplayScript> Replays { get; } = new(StringComparer.Ordinal);

    /// <summary>Parsed Assistants fixtures by full path.</summary>
    public ConcurrentDictionary<string, List<AssistantReplayFrame>> AssistantReplays { get; } = new(StringComparer.Ordinal);

    public FakeOpenAILedger Ledger { get; } = new();

    public FaultInjector Faults { get; } = new();

    public FileDownloads Downloads { get; } = new();

    public Func<FakeResponseRequest, FakeResponse> Responder { get; set; } =
        static request => FakeResponse.Stream().Text($"You said: {request.UserText}");

    public TimeSpan DefaultTokenInterval { get; set; }

    public string VectorStoreFileStatusOnCreate { get; set; } = "completed";

    public bool RequireFunctionCallOutputs { get; set; } = true;

    /// <summary>True: POST /responses with `context_management` gets the 400 of a server that does not know the parameter.</summary>
    public bool RejectContextManagement { get; set; }

    private int _contextManagementRejections;

    public int ContextManagementRejections => Volatile.Read(ref _contextManagementRejections);

    public void RecordContextManagementRejection() => Interlocked.Increment(ref _contextManagementRejections);

    /// <summary>`http://127.0.0.1:{port}/v1/`, known once Kestrel has bound its port.</summary>
    public Uri BaseUri { get; set; } = new("http://127.0.0.1/v1/");

    /// <summary>Signalled when the server stops, so open streams end instead of holding shutdown up.</summary>
    public CancellationToken Stopping { get; set; }

    public int ConversationConflicts => Volatile.Read(ref _conversationConflicts);

    public int RunActiveErrors => Volatile.Read(ref _runActiveErrors);

    public void RecordRunActiveError() => Interlocked.Increment(ref _runActiveErrors);

    public void RecordRunRequest(FakeResponseRequest request)
    {
        lock (_observationsSync)
        {
            _runRequests.Add(request);
        }
    }

    public IReadOnlyList<FakeResponseRequest> RunRequests
    {
        get
        {
            lock (_observationsSync)
            {
                return [.. _runRequests];
            }
        }
    }

    public int MaxConcurrentResponsesPerConversation => Volatile.Read(ref _maxConcurrentPerConversation);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public void Enqueue(FakeResponse[] responses)
    {
        foreach (var response in responses)
        {
            ArgumentNullException.ThrowIfNull(response);
            _script.Enqueue(response);
        }
    }

    /// <summary>
    /// The continuation of answered MCP approval requests, else the next scripted response, or the responder's answer
    /// when the queue is empty.
    /// </summary>
    public FakeResponse NextResponse(FakeResponseRequest request) =>
        McpContinuation(request) ?? (_script.TryDequeue(out var scripted) ? scripted : Responder(request));

    public void RecordConflict() => Interlocked.Increment(ref _conversationConflicts);

    public void ObserveInFlight(int inFlight)
    {
        var seen = Volatile.Read(ref _maxConcurrentPerConversation);
        while (inFlight > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxConcurrentPerConversation, inFlight, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public void RecordResponseRequest(FakeResponseRequest request)
    {
        lock (_observationsSync)
        {
            _responseRequests.Add(request);
        }
    }

    public void RecordRequest(string line)
    {
        lock (_observationsSync)
        {
            _requestLog.Add(line);
        }
    }

    public IReadOnlyList<FakeResponseRequest> ResponseRequests
    {
        get
        {
            lock (_observationsSync)
            {
                return [.. _responseRequests];
            }
        }
    }

    public IReadOnlyList<string> RequestLog
    {
        get
        {
            lock (_observationsSync)
            {
                return [.. _requestLog];
            }
        }
    }

    public StoredContainer CreateContainer(string name, string? id = null)
    {
        var container = new StoredContainer(id ?? FakeIds.Container(), name, Now());
        if (Containers.TryAdd(container.Id, container))
        {
            Ledger.RecordCreated(FakeResourceKind.Container, container.Id);
            return container;
        }

        return Containers[container.Id];
    }

    /// <summary>
    /// The container a code-interpreter call runs in: the explicit one, else the conversation's auto container
    /// (made on first use and made again when it was deleted), else a fresh one for a conversation-less response.
    /// </summary>
    public StoredContainer ContainerFor(StoredConversation? conversation, string? explicitId)
    {
        if (explicitId is not null && Containers.TryGetValue(explicitId, out var explicitContainer))
        {
            return explicitContainer;
        }

        if (conversation is null)
        {
            return CreateContainer("Code Interpreter container");
        }

        lock (conversation.Sync)
        {
            if (conversation.ContainerId is { } id && Containers.TryGetValue(id, out var existing))
            {
                return existing;
            }

            var container = CreateContainer($"Container for {conversation.Id}");
            conversation.ContainerId = container.Id;
            return container;
        }
    }

    /// <summary>Copies uploaded files into a container the way an auto container receives its `file_ids`.</summary>
    public void CopyFilesIntoContainer(StoredContainer container, IEnumerable<string> fileIds)
    {
        foreach (var fileId in fileIds)
        {
            if (!Files.TryGetValue(fileId, out var file))
            {
                continue;
            }

            var path = $"/mnt/data/{file.Id}-{file.Filename}";
            lock (container.Sync)
            {
                if (!container.Files.Exists(f => f.Path == path))
                {
                    container.Files.Add(new StoredContainerFile(FakeIds.ContainerFile(), container.Id, path, "user", file.Content, Now()));
                }
            }
        }
    }

    /// <summary>Ends a response's hold on its conversation; a completed turn's input and output items join it first.</summary>
    public void Settle(StoredResponse response, StoredConversation? conversation, bool completed, IReadOnlyList<FakeItem>? recordedOutput = null)
    {
        if (conversation is null)
        {
            return;
        }

        lock (conversation.Sync)
        {
            if (completed)
            {
                conversation.Items.AddRange(response.Request.InputItems);
                lock (response.Sync)
                {
                    conversation.Items.AddRange(recordedOutput ?? response.Output);
                }
            }

            if (conversation.ActiveResponseId == response.Id)
            {
                conversation.ActiveResponseId = null;
            }
        }
    }
}
