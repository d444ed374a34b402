using System.Runtime.CompilerServices;
using Bot.Core.Attachments;
using Bot.Core.Backends;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>
/// A backend as the core sees it where a place has settings: every turn request carries <see cref="Settings"/>, as the
/// turn gives them from the place's effective settings; the usage it reports is kept. Everything else is the real backend's.
/// </summary>
internal sealed class PlaceSettingsBackend(IAssistantBackend inner) : IAssistantBackend
{
    private readonly List<TokenUsage> _usage = [];

    /// <summary>The settings the next turns carry; null: none (as configured).</summary>
    public TurnSettings? Settings { get; set; }

    public string Kind => inner.Kind;

    public string Model => inner.Model;

    public IReadOnlyList<string> AllowedModels => inner.AllowedModels;

    public IReadOnlyList<string> McpServerLabels => inner.McpServerLabels;

    public bool WebSearchEnabled => inner.WebSearchEnabled;

    public bool ImageGenerationEnabled => inner.ImageGenerationEnabled;

    public int MaxInputCharacters => inner.MaxInputCharacters;

    public bool CodeInterpreterEnabled => inner.CodeInterpreterEnabled;

    public bool FileSearchEnabled => inner.FileSearchEnabled;

    public TimeSpan ApprovalTimeout => inner.ApprovalTimeout;

    public Task<UploadedFile> UploadAsync(RemoteThread thread, AttachmentUpload upload, CancellationToken cancellationToken = default) =>
        inner.UploadAsync(thread, upload, cancellationToken);

    public IAsyncEnumerable<AssistantEvent> ResumeTurnAsync(ResumeRequest request, TurnCheckpoint checkpoint, CancellationToken cancellationToken = default) =>
        inner.ResumeTurnAsync(request with { Settings = request.Settings ?? Settings }, checkpoint, cancellationToken);

    public Task CancelResponseAsync(string responseId, CancellationToken cancellationToken = default) =>
        inner.CancelResponseAsync(responseId, cancellationToken);

    /// <summary>Every usage the backend reported, in order.</summary>
    public IReadOnlyList<TokenUsage> ReportedUsage
    {
        get
        {
            lock (_usage)
                return [.. _usage];
        }
    }

    public async IAsyncEnumerable<AssistantEvent> RunTurnAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var assistantEvent in inner.RunTurnAsync(request with { Settings = Settings ?? request.Settings }, cancellationToken).ConfigureAwait(false))
        {
            if (assistantEvent is UsageReported reported)
            {
                lock (_usage)
                    _usage.Add(reported.Usage);
            }

            yield return assistantEvent;
        }
    }

    public Task DeleteAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(kind, remoteId, cancellationToken);
}
