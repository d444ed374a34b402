namespace Bot.OpenAI;

/// <summary>How the bot talks to OpenAI (configuration section <c>OpenAI</c>).</summary>
public sealed partial class OpenAIOptions
{
    public const string SectionName = "OpenAI";

    /// <summary>The API key; also read from <c>OPENAI_API_KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL including /v1; also read from <c>OPENAI_BASE_URL</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Which API backs conversations: <c>Responses</c> (default) or <c>Assistants</c>.</summary>
    public string Api { get; set; } = ApiKinds.Responses;

    /// <summary>The model answering.</summary>
    public string Model { get; set; } = "gpt-4.1-mini";

    /// <summary>Instructions sent with every response.</summary>
    public string Instructions { get; set; } =
        "You are a helpful assistant in a team chat. Answer clearly and concisely, in the language of the question. " +
        "Use Markdown sparingly. When you produce a file or chart, say briefly what it shows.";

    /// <summary>Assistants API only: an existing assistant to use; empty = create one once and remember it.</summary>
    public string? AssistantId { get; set; }

    /// <summary>Which built-in tools the assistant may use.</summary>
    public OpenAIToolOptions Tools { get; set; } = new();

    /// <summary>Remote MCP servers (Responses API only) and how long an approval may take.</summary>
    public McpOptions Mcp { get; set; } = new();

    /// <summary>Retries of 408/429/5xx per request, with exponential backoff (Retry-After is honoured).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; each later one doubles.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Longest wait for the next bytes of a response (also between stream events).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Responses API: create responses with <c>background: true</c> (and <c>stream: true</c>), so that a cut stream is
    /// resumed from its last event, Stop cancels the response at the service, and a turn interrupted by a restart can be
    /// finished. An endpoint that rejects the parameter gets plain streaming (noticed once, and logged). Default true.
    /// </summary>
    public bool Background { get; set; } = true;

    /// <summary>Most function-call rounds in one turn.</summary>
    public int MaxToolRounds { get; set; } = 8;

    /// <summary>Longest user input of one turn, in characters.</summary>
    public int MaxInputCharacters { get; set; } = 200_000;

    /// <summary>Longest wait for an uploaded document to be indexed for file search.</summary>
    public TimeSpan FileIndexingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Responses API: the size of a conversation, in tokens, at which the service compacts it (server-side compaction,
    /// <c>context_management</c>), so that long-lived conversations never hit the model's context limit. The default,
    /// 100,000, fits models with a 128k context and leaves room for the answer; with a larger context (gpt-4.1: 1M,
    /// gpt-5: 400k) it may be raised to about 80 % of it. 0 = off (no compaction asked; the service's default applies).
    /// The service takes at least 1,000.
    /// </summary>
    public int CompactThreshold { get; set; } = DefaultCompactThreshold;

    /// <summary>The default of <see cref="CompactThreshold"/>.</summary>
    public const int DefaultCompactThreshold = 100_000;

    /// <summary>
    /// Largest generated file the bot downloads, in bytes (default 50 MB). Reading stops at the limit; a bigger file
    /// becomes a one-line note in the reply.
    /// </summary>
    public long MaxOutputFileBytes { get; set; } = 50L * 1024 * 1024;
}

/// <summary>Built-in tools (configuration section <c>OpenAI:Tools</c>).</summary>
public sealed partial class OpenAIToolOptions
{
    public bool CodeInterpreter { get; set; } = true;

    public bool FileSearch { get; set; } = true;

    /// <summary>Responses API: the <c>web_search</c> tool, with cited pages as numbered links. Off by default: it is billed per call.</summary>
    public bool WebSearch { get; set; }
}

/// <summary>The values of <c>OpenAI:Api</c>.</summary>
public static class ApiKinds
{
    public const string Responses = "Responses";
    public const string Assistants = "Assistants";
}
