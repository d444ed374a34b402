namespace Bot.Testing.OpenAI;

/// <summary>What one POST /responses asked for, parsed for tests and scripts.</summary>
public sealed class FakeResponseRequest
{
    /// <summary>The id the fake gave the response (set once the request is accepted).</summary>
    public string? ResponseId { get; internal set; }

    /// <summary>`conversation`, whether sent as a string or as `{"id":…}`.</summary>
    public string? ConversationId { get; init; }

    public string? PreviousResponseId { get; init; }

    public string? Model { get; init; }

    public string? Instructions { get; init; }

    /// <summary>Every `input_text` of the user messages (or a plain string `input`), joined with newlines.</summary>
    public string UserText { get; init; } = string.Empty;

    public IReadOnlyList<string> InputImageFileIds { get; init; } = [];

    public IReadOnlyList<string> InputFileIds { get; init; } = [];

    /// <summary>`function_call_output` items: call id → output.</summary>
    public IReadOnlyDictionary<string, string> FunctionCallOutputs { get; init; } = new Dictionary<string, string>();

    public bool HasFileSearch { get; init; }

    /// <summary>A tool of type `web_search` (not the older `web_search_preview`).</summary>
    public bool HasWebSearch { get; init; }

    /// <summary>The `type` of every entry of `tools`, in order.</summary>
    public IReadOnlyList<string> ToolTypes { get; init; } = [];

    /// <summary>The `image_generation` tool as sent, null without one.</summary>
    public FakeImageGenerationTool? ImageGeneration { get; init; }

    /// <summary>True when the request carried `context_management` (an array of entries).</summary>
    public bool HasContextManagement { get; init; }

    /// <summary>`compact_threshold` of the `compaction` entry of `context_management`, null without one.</summary>
    public int? CompactThreshold { get; init; }

    /// <summary>`truncation` (`auto` or `disabled`), null when not sent.</summary>
    public string? Truncation { get; init; }

    public IReadOnlyList<string> VectorStoreIds { get; init; } = [];

    public bool HasCodeInterpreter { get; init; }

    /// <summary>`file_ids` of an auto code-interpreter container.</summary>
    public IReadOnlyList<string> CodeInterpreterFileIds { get; init; } = [];

    /// <summary>An explicit container id (`"container":"cntr_…"`), null for an auto container.</summary>
    public string? CodeInterpreterContainerId { get; init; }

    public IReadOnlyList<string> FunctionNames { get; init; } = [];

    /// <summary>Function name → its `parameters` JSON schema as sent.</summary>
    public IReadOnlyDictionary<string, string> FunctionParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The `mcp` tools (remote MCP servers), in order.</summary>
    public IReadOnlyList<FakeMcpTool> McpTools { get; init; } = [];

    /// <summary>The `mcp_approval_response` input items, in order.</summary>
    public IReadOnlyList<FakeMcpApprovalResponse> McpApprovalResponses { get; init; } = [];

    public IReadOnlyList<string> Include { get; init; } = [];

    public bool Stream { get; init; }

    /// <summary>`background: true`: a non-streamed request returns at once (`queued`) and is polled with GET /responses/{id}.</summary>
    public bool Background { get; init; }

    /// <summary>
    /// When the first `output_text` delta left the fake (streamed: just before its SSE frame is flushed) or was
    /// generated (background: after the first token interval). Benchmarks subtract it from when the text became visible.
    /// </summary>
    public DateTimeOffset? FirstTextDeltaAt { get; internal set; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>The request body as received.</summary>
    public string Json { get; init; } = string.Empty;

    public override string ToString() => $"{Model} conversation={ConversationId} stream={Stream} text=\"{UserText}\"";
}
