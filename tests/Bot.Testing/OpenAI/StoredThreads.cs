namespace Bot.Testing.OpenAI;

/// <summary>An assistant (model, instructions, tools) created through POST /assistants.</summary>
internal sealed class StoredAssistant(string id, long createdAt)
{
    public string Id { get; } = id;

    public long CreatedAt { get; } = createdAt;

    public Lock Sync { get; } = new();

    public string Model { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Instructions { get; set; }

    /// <summary>The `tools` array as sent (raw JSON), "[]" when none.</summary>
    public string ToolsJson { get; set; } = "[]";

    public Dictionary<string, string> Metadata { get; set; } = [];
}

/// <summary>A thread: its messages, its runs and the tool resources its attachments added.</summary>
internal sealed class StoredThread(string id, long createdAt, Dictionary<string, string> metadata)
{
    public string Id { get; } = id;

    public long CreatedAt { get; } = createdAt;

    /// <summary>Guards everything below.</summary>
    public Lock Sync { get; } = new();

    public Dictionary<string, string> Metadata { get; set; } = metadata;

    /// <summary>Messages oldest first.</summary>
    public List<StoredMessage> Messages { get; } = [];

    /// <summary>Runs oldest first.</summary>
    public List<StoredRun> Runs { get; } = [];

    public List<string> CodeInterpreterFileIds { get; } = [];

    public List<string> VectorStoreIds { get; } = [];

    /// <summary>The run that locks the thread (queued, in progress, requires action or cancelling), null when idle.</summary>
    public StoredRun? ActiveRun => Runs.Count > 0 && Runs[^1].IsActive ? Runs[^1] : null;

    /// <summary>Index in <see cref="Messages"/> of the first message no run has seen yet.</summary>
    public int UnseenFrom { get; set; }
}

/// <summary>One content part of a message: text (with annotations) or an image file.</summary>
internal sealed record StoredContentPart(string Type, string? Text = null, string? FileId = null, IReadOnlyList<ThreadAnnotation>? Annotations = null);

/// <summary>A file_citation or file_path annotation of a text part.</summary>
internal sealed record ThreadAnnotation(string Type, string Text, int StartIndex, int EndIndex, string FileId);

/// <summary>A message attachment: a file for the code interpreter and/or file search.</summary>
internal sealed record StoredAttachment(string FileId, IReadOnlyList<string> Tools);

/// <summary>A thread message.</summary>
internal sealed class StoredMessage(string id, string threadId, string role, long createdAt)
{
    public string Id { get; } = id;

    public string ThreadId { get; } = threadId;

    public string Role { get; } = role;

    public long CreatedAt { get; } = createdAt;

    public string Status { get; set; } = "completed";

    public string? RunId { get; init; }

    public string? AssistantId { get; init; }

    public string? IncompleteReason { get; set; }

    public List<StoredContentPart> Content { get; } = [];

    public List<StoredAttachment> Attachments { get; } = [];

    public Dictionary<string, string> Metadata { get; init; } = [];
}

/// <summary>A run: status, the function calls it waits for, its outcome; a cancellation for the script that plays it.</summary>
internal sealed class StoredRun(string id, string threadId, string assistantId, long createdAt)
{
    public string Id { get; } = id;

    public string ThreadId { get; } = threadId;

    public string AssistantId { get; } = assistantId;

    public long CreatedAt { get; } = createdAt;

    public Lock Sync { get; } = new();

    public string Status { get; set; } = "queued";

    public string Model { get; set; } = string.Empty;

    public string? Instructions { get; set; }

    public string ToolsJson { get; set; } = "[]";

    public long? StartedAt { get; set; }

    public long? CompletedAt { get; set; }

    public long? CancelledAt { get; set; }

    public long? FailedAt { get; set; }

    public (string Code, string Message)? LastError { get; set; }

    public string? IncompleteReason { get; set; }

    public (int Prompt, int Completion)? Usage { get; set; }

    /// <summary>`usage.prompt_token_details.cached_tokens`, as the service writes it (recorded runs spell it so).</summary>
    public int CachedPromptTokens { get; set; }

    /// <summary>Function calls of a requires_action pause: call id, name, arguments.</summary>
    public List<(string Id, string Name, string Arguments)> RequiredCalls { get; } = [];

    public List<StoredRunStep> Steps { get; } = [];

    /// <summary>Tokens generated so far, over every round of the run.</summary>
    public int CompletionTokens { get; set; }

    /// <summary>Cancelled by POST …/cancel: the playing script stops.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    public bool IsActive => Status is "queued" or "in_progress" or "requires_action" or "cancelling";

    public long ExpiresAt => CreatedAt + 600;
}

/// <summary>A run step: a message creation or tool calls (code interpreter, file search, function).</summary>
internal sealed class StoredRunStep(string id, string runId, string type, long createdAt)
{
    public string Id { get; } = id;

    public string RunId { get; } = runId;

    public string Type { get; } = type;

    public long CreatedAt { get; } = createdAt;

    public string Status { get; set; } = "in_progress";

    public string? MessageId { get; init; }

    /// <summary>The tool call of a tool_calls step.</summary>
    public StepToolCall? ToolCall { get; init; }
}

/// <summary>The tool call inside a tool_calls step.</summary>
internal sealed record StepToolCall(string Id, string Type, string? Code = null, string? Logs = null, string? ImageFileId = null,
    string? FunctionName = null, string? Arguments = null);
