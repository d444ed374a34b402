namespace Bot.Core.Backends;

/// <summary>Why a turn could not be answered, in categories the user can be told about.</summary>
public enum FailureKind
{
    /// <summary>Rate limited or overloaded, still after the client's retries.</summary>
    Busy,
    /// <summary>The service failed (5xx, a failed response, an error event).</summary>
    ServiceError,
    /// <summary>The stream ended without a terminal event.</summary>
    StreamCut,
    /// <summary>The service could not be reached or did not answer in time.</summary>
    Unreachable,
    /// <summary>Credentials or permissions were rejected.</summary>
    Unauthorized,
    /// <summary>The request was refused as invalid (too long, bad file, ...).</summary>
    Rejected,
    /// <summary>The quota or billing limit is exhausted.</summary>
    QuotaExceeded,
    /// <summary>
    /// The service does not offer what the bot is configured to use: an unknown model or assistant id, or an
    /// API the endpoint does not serve (404), such as the Assistants API on OpenAI's own service after its shutdown.
    /// </summary>
    Misconfigured,
    /// <summary>
    /// The conversation no longer fits the model's context (<c>context_length_exceeded</c>), even with compaction or
    /// truncation: only a reset helps.
    /// </summary>
    ContextTooLong,
    /// <summary>
    /// A turn picked up after a restart or a takeover died while a function tool that is not idempotent ran: the tool is
    /// not run twice, and the user is told which step was lost (<see cref="Exception.Message"/> names the tool).
    /// </summary>
    ToolStepLost,
}

/// <summary>
/// Thrown by a backend when a turn fails. <see cref="Exception.Message"/> holds the technical detail for
/// the log; the user is told one sentence chosen by <see cref="Kind"/>.
/// </summary>
public sealed class AssistantFailureException : Exception
{
    public AssistantFailureException(FailureKind kind, string detail, Exception? inner = null)
        : base(detail, inner) => Kind = kind;

    public FailureKind Kind { get; }
}
