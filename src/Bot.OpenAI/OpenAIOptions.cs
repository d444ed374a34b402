namespace Bot.OpenAI;

/// <summary>How the bot talks to OpenAI (configuration section <c>OpenAI</c>).</summary>
public sealed class OpenAIOptions
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

    /// <summary>Retries of 408/429/5xx per request, with exponential backoff (Retry-After is honoured).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; each later one doubles.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Longest wait for the next bytes of a response (also between stream events).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most function-call rounds in one turn.</summary>
    public int MaxToolRounds { get; set; } = 8;

    /// <summary>Longest user input of one turn, in characters.</summary>
    public int MaxInputCharacters { get; set; } = 200_000;

    /// <summary>Longest wait for an uploaded document to be indexed for file search.</summary>
    public TimeSpan FileIndexingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Largest generated file the bot downloads, in bytes (default 50 MB). Reading stops at the limit; a bigger file
    /// becomes a one-line note in the reply.
    /// </summary>
    public long MaxOutputFileBytes { get; set; } = 50L * 1024 * 1024;
}

/// <summary>Built-in tools (configuration section <c>OpenAI:Tools</c>).</summary>
public sealed class OpenAIToolOptions
{
    public bool CodeInterpreter { get; set; } = true;

    public bool FileSearch { get; set; } = true;
}

/// <summary>The values of <c>OpenAI:Api</c>.</summary>
public static class ApiKinds
{
    public const string Responses = "Responses";
    public const string Assistants = "Assistants";
}
