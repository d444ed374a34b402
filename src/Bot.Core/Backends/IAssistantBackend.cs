using Bot.Core.Attachments;
using Bot.Core.Tools.Approvals;

namespace Bot.Core.Backends;

/// <summary>
/// An assistant service: remote conversations, file uploads, and a turn as a stream of
/// <see cref="AssistantEvent"/>s. Implemented by the Responses and the Assistants backends.
/// </summary>
public interface IAssistantBackend
{
    /// <summary>The backend kind stored with each conversation ("Responses", "Assistants").</summary>
    string Kind { get; }

    /// <summary>The model the backend asks for, as configured; the usage ledger counts tokens per model.</summary>
    string Model => string.Empty;

    /// <summary>The models a place may choose (<c>OpenAI:AllowedModels</c>); the configured model is always one of them.</summary>
    IReadOnlyList<string> AllowedModels => Model.Length > 0 ? [Model] : [];

    /// <summary>The labels of the configured remote MCP servers (each can be switched off per place).</summary>
    IReadOnlyList<string> McpServerLabels => [];

    /// <summary>Whether web search is switched on in configuration.</summary>
    bool WebSearchEnabled => false;

    /// <summary>Whether image generation is switched on in configuration.</summary>
    bool ImageGenerationEnabled => false;

    /// <summary>Longest user input, in characters, that one turn may send.</summary>
    int MaxInputCharacters { get; }

    /// <summary>Whether the code interpreter is switched on (data files are accepted only then).</summary>
    bool CodeInterpreterEnabled { get; }

    /// <summary>Whether file search is switched on (documents go to a vector store only then).</summary>
    bool FileSearchEnabled { get; }

    /// <summary>
    /// How long a person has to approve a remote tool call (<see cref="TurnRequest.Approver"/>) before it counts as denied.
    /// The turn's own timeout does not run while it waits.
    /// </summary>
    TimeSpan ApprovalTimeout => DefaultApprovalTimeout;

    /// <summary>The approval timeout of a backend that sets none.</summary>
    static TimeSpan DefaultApprovalTimeout => TimeSpan.FromMinutes(5);

    /// <summary>
    /// Uploads one attachment for the given tool and records what it created on <paramref name="thread"/>
    /// (the file, and a vector store when it is the conversation's first document).
    /// </summary>
    Task<UploadedFile> UploadAsync(RemoteThread thread, AttachmentUpload upload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one turn: creates the remote conversation on first use, sends the input and files, calls
    /// function tools as the assistant asks, and yields what happens. Ends with <see cref="TurnFinished"/>
    /// or throws <see cref="AssistantFailureException"/>.
    /// </summary>
    IAsyncEnumerable<AssistantEvent> RunTurnAsync(TurnRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes a turn an earlier process left running (<see cref="ResumeRequest"/>): yields the answer of the stored
    /// response or run <em>from its beginning</em> (the core rebuilds the reply from these events and writes it into the
    /// reply's existing messages), follows it to its end, goes on with function tools as <see cref="RunTurnAsync"/> does,
    /// and ends with <see cref="TurnFinished"/>. When the turn died while <see cref="ResumeRequest.RunningTool"/> ran, that
    /// tool's calls are invoked again only when it is idempotent; otherwise the backend throws
    /// <see cref="AssistantFailureException"/> of kind <see cref="FailureKind.ToolStepLost"/> naming the tool. A response
    /// that cannot be found or was not resumable throws kind <see cref="FailureKind.StreamCut"/>. A backend without
    /// resumable responses throws that at once (the default).
    /// </summary>
    IAsyncEnumerable<AssistantEvent> ResumeTurnAsync(ResumeRequest request, TurnCheckpoint checkpoint, CancellationToken cancellationToken = default) =>
        throw new AssistantFailureException(FailureKind.StreamCut, $"{Kind} cannot resume a response.");

    /// <summary>
    /// Cancels a remote response or run for good (Stop, reset, a timeout): the service stops generating and billing.
    /// Cancelling one already finished or gone succeeds. The default does nothing.
    /// </summary>
    Task CancelResponseAsync(string responseId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Deletes one remote object the bot created. Deleting something already gone succeeds.</summary>
    Task DeleteAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken = default);
}

/// <summary>The input of one turn.</summary>
/// <param name="Thread">The conversation's remote state.</param>
/// <param name="Text">The user's text (several coalesced messages, with author names where needed).</param>
/// <param name="Files">Attachments uploaded for this turn.</param>
/// <param name="Approver">
/// Asks the person who started the turn before a remote tool that requires approval runs; none given = every such call
/// is denied as unavailable.
/// </param>
/// <param name="Settings">The place's settings for this turn (model, instructions, tools); null = as configured.</param>
/// <param name="Checkpoint">
/// Where the backend records the response it streams and the last sequence number it saw (see <see cref="TurnCheckpoint"/>);
/// none given = nothing is recorded.
/// </param>
public sealed record TurnRequest(RemoteThread Thread, string Text, IReadOnlyList<UploadedFile> Files, IToolApprover? Approver = null,
    TurnSettings? Settings = null, TurnCheckpoint? Checkpoint = null)
{
    /// <summary>The settings to apply (never null).</summary>
    public TurnSettings Overrides => Settings ?? TurnSettings.None;

    /// <summary>The approver to ask (never null).</summary>
    public IToolApprover Approvals => Approver ?? IToolApprover.None;
}

/// <summary>
/// The settings in force where a turn happens (<c>Places:*</c> and admin commands); null members leave the backend's
/// configured value. A backend that cannot apply one ignores it.
/// </summary>
/// <param name="Model">The model to ask (one of <see cref="IAssistantBackend.AllowedModels"/>).</param>
/// <param name="Instructions">Instructions in place of the configured ones.</param>
/// <param name="CodeInterpreter">Code interpreter on or off.</param>
/// <param name="FileSearch">File search on or off.</param>
/// <param name="WebSearch">Web search on or off.</param>
/// <param name="ImageGeneration">Image generation on or off.</param>
/// <param name="DisabledMcpServers">Labels of the configured MCP servers not offered in this turn.</param>
public sealed record TurnSettings(
    string? Model = null,
    string? Instructions = null,
    bool? CodeInterpreter = null,
    bool? FileSearch = null,
    bool? WebSearch = null,
    bool? ImageGeneration = null,
    IReadOnlySet<string>? DisabledMcpServers = null)
{
    /// <summary>Nothing overridden.</summary>
    public static TurnSettings None { get; } = new();
}
