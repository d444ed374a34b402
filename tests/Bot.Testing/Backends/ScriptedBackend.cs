using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bot.Core.Attachments;
using Bot.Core.Backends;

namespace Bot.Testing.Backends;

/// <summary>
/// An in-process assistant backend for core tests: each turn plays a script of events, and the backend
/// records what it was asked, what it created and deleted, and whether two turns ever overlapped in one
/// conversation. Protocol behaviour is tested against the OpenAI fake instead.
/// </summary>
public sealed partial class ScriptedBackend : IAssistantBackend
{
    private readonly ConcurrentDictionary<string, int> _activeByConversation = new();
    private readonly ConcurrentQueue<TurnRequest> _requests = new();
    private int _ids;
    private int _maxConcurrentPerConversation;

    public string Kind { get; set; } = "Scripted";

    public string Model { get; set; } = "scripted-model";

    public int MaxInputCharacters { get; set; } = 10_000;

    /// <inheritdoc />
    public IReadOnlyList<string> AllowedModels { get; set; } = ["scripted-model", "scripted-mini"];

    /// <inheritdoc />
    public IReadOnlyList<string> McpServerLabels { get; set; } = [];

    /// <inheritdoc />
    public bool WebSearchEnabled { get; set; }

    /// <inheritdoc />
    public bool ImageGenerationEnabled { get; set; }

    public bool CodeInterpreterEnabled { get; set; } = true;

    public bool FileSearchEnabled { get; set; } = true;

    public TimeSpan ApprovalTimeout { get; set; } = IAssistantBackend.DefaultApprovalTimeout;

    /// <summary>The events of a turn. Default: "Echo: {text}" in three deltas.</summary>
    public Func<TurnRequest, CancellationToken, IAsyncEnumerable<AssistantEvent>> Script { get; set; } = (request, _) => Echo(request);

    /// <summary>Fails uploads of files with this name.</summary>
    public string? FailUploadOf { get; set; }

    /// <summary>
    /// Runs before every deletion; a deletion whose hook throws (or is cancelled) fails and deletes nothing, like a
    /// service that answers 500 or a caller that goes away.
    /// </summary>
    public Func<RemoteObjectKind, string, CancellationToken, Task>? BeforeDelete { get; set; }

    /// <summary>Every deletion attempted, also the ones that failed.</summary>
    public ConcurrentQueue<(RemoteObjectKind Kind, string Id)> DeleteAttempts { get; } = new();

    public IReadOnlyList<TurnRequest> Requests => [.. _requests];

    /// <summary>Notified on every request, creation and deletion attempt, so tests can await what they expect.</summary>
    public StateChanges Changes { get; } = new();

    public ConcurrentQueue<AttachmentUpload> Uploads { get; } = new();

    public ConcurrentQueue<(RemoteObjectKind Kind, string Id)> Created { get; } = new();

    public ConcurrentQueue<(RemoteObjectKind Kind, string Id)> Deleted { get; } = new();

    /// <summary>The most turns ever running at once in one conversation (must stay 1).</summary>
    public int MaxConcurrentTurnsPerConversation => Volatile.Read(ref _maxConcurrentPerConversation);

    public async Task<UploadedFile> UploadAsync(RemoteThread thread, AttachmentUpload upload, CancellationToken cancellationToken = default)
    {
        if (upload.FileName == FailUploadOf)
            throw new AssistantFailureException(FailureKind.Rejected, "upload refused");
        using var copy = new MemoryStream();
        await upload.Content.CopyToAsync(copy, cancellationToken);
        Uploads.Enqueue(upload with { Content = new MemoryStream(copy.ToArray()) });
        var fileId = await CreateAsync(thread, RemoteObjectKind.File, "file", upload.FileName, upload.Target switch
        {
            AttachmentTarget.CodeInterpreter => RemoteFilePurposes.CodeInterpreter,
            AttachmentTarget.FileSearch => RemoteFilePurposes.FileSearch,
            _ => RemoteFilePurposes.Vision,
        });
        if (upload.Target == AttachmentTarget.FileSearch && thread.VectorStoreId is null)
            await CreateAsync(thread, RemoteObjectKind.VectorStore, "vs", null, null);
        return new UploadedFile(fileId, upload.FileName, upload.Target);
    }

    public async IAsyncEnumerable<AssistantEvent> RunTurnAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(request);
        Changes.Notify();
        if (request.Thread.RemoteConversationId is null)
            await CreateAsync(request.Thread, RemoteObjectKind.Conversation, "conv", null, null);

        var conversation = request.Thread.RemoteConversationId!;
        var active = _activeByConversation.AddOrUpdate(conversation, 1, (_, n) => n + 1);
        UpdateMax(active);
        try
        {
            await foreach (var assistantEvent in Script(request, cancellationToken).WithCancellation(cancellationToken))
            {
                Record(request.Checkpoint, assistantEvent);
                yield return assistantEvent;
            }
        }
        finally
        {
            _activeByConversation.AddOrUpdate(conversation, 0, (_, n) => n - 1);
        }
    }

    public async Task DeleteAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken = default)
    {
        DeleteAttempts.Enqueue((kind, remoteId));
        Changes.Notify();
        if (BeforeDelete is { } hook)
            await hook(kind, remoteId, cancellationToken);
        Deleted.Enqueue((kind, remoteId));
        Changes.Notify();
    }

    /// <summary>Remote objects created and not deleted.</summary>
    public IReadOnlyList<string> Orphans => [.. Created.Select(c => c.Id).Except(Deleted.Select(d => d.Id))];

    /// <summary>A script that streams <paramref name="text"/> in pieces, with a delay between them.</summary>
    public static async IAsyncEnumerable<AssistantEvent> Stream(string text, TimeSpan delay = default, int pieces = 3,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new ResponseStarted($"resp_{Guid.NewGuid():N}");
        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)pieces));
        for (var i = 0; i < text.Length; i += size)
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, cancellationToken);
            yield return new TextDelta("p0", text.Substring(i, Math.Min(size, text.Length - i)));
        }

        yield return new UsageReported(new TokenUsage(10, pieces));
        yield return new TurnFinished();
    }

    private static IAsyncEnumerable<AssistantEvent> Echo(TurnRequest request) => Stream("Echo: " + request.Text);

    private async Task<string> CreateAsync(RemoteThread thread, RemoteObjectKind kind, string prefix, string? label, string? purpose)
    {
        var id = $"{prefix}_{Interlocked.Increment(ref _ids)}";
        Created.Enqueue((kind, id));
        await thread.RecordCreatedAsync(kind, id, label, purpose);
        Changes.Notify();
        return id;
    }

    private void UpdateMax(int active)
    {
        int current;
        while (active > (current = Volatile.Read(ref _maxConcurrentPerConversation)))
            Interlocked.CompareExchange(ref _maxConcurrentPerConversation, active, current);
    }
}
