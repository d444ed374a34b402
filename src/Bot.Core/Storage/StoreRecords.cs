using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>The mapping of one chat conversation to its remote conversation or thread.</summary>
public sealed record ConversationRecord(
    long Id,
    ConversationKey Key,
    string BackendKind,
    string? RemoteConversationId,
    string? VectorStoreId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActiveAt,
    DateTimeOffset? ArchivedAt);

/// <summary>Where an accepted message is in its life.</summary>
public enum InboxStatus
{
    /// <summary>Stored and waiting in its lane.</summary>
    Accepted,
    /// <summary>Part of a turn that is running.</summary>
    Processing,
    /// <summary>Its turn delivered an answer.</summary>
    Answered,
    /// <summary>Its turn failed and the user was told.</summary>
    Failed,
    /// <summary>Dropped by a reset or stopped by the user.</summary>
    Cancelled,
    /// <summary>Refused before a turn (flagged by moderation, or a budget used up); the user was told and nothing reached the backend.</summary>
    Refused,
}

/// <summary>An accepted incoming message and its state.</summary>
public sealed record InboxRecord(long Id, IncomingMessage Message, InboxStatus Status, long? TurnId);

/// <summary>How a turn ended.</summary>
public enum TurnStatus
{
    Running,
    Completed,
    /// <summary>The answer stopped early (length limit, content filter) but what there was got delivered.</summary>
    Incomplete,
    Failed,
    Cancelled,
    /// <summary>The process stopped while the turn ran.</summary>
    Interrupted,
}

/// <summary>The end state of a turn, written once when it finishes.</summary>
public sealed record TurnOutcome(
    TurnStatus Status,
    IReadOnlyList<string> ResponseIds,
    TokenUsage Usage,
    DateTimeOffset? FirstTokenAt,
    DateTimeOffset FinishedAt,
    string? Error = null);

/// <summary>A turn as stored.</summary>
public sealed record TurnRecord(
    long Id,
    long ConversationId,
    TurnStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FirstTokenAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> ResponseIds,
    TokenUsage Usage,
    string? Error,
    TurnResumePoint? ResumePoint = null);

/// <summary>
/// Where a running turn's answer stands, stored with each visible write of its reply, so that a restarted process or the
/// instance that takes over the conversation can finish it into the same messages.
/// </summary>
/// <param name="ResponseId">The remote response or run being streamed; null before the first one started.</param>
/// <param name="SequenceNumber">The sequence number of the last event seen of that response (0 = none).</param>
/// <param name="Resumable">True when the response can be streamed again or followed to its end.</param>
/// <param name="RunningTool">The function tool the bot was running, if any.</param>
/// <param name="MessageIds">The platform ids of the reply's messages so far, first message first.</param>
public sealed record TurnResumePoint(string? ResponseId, long SequenceNumber, bool Resumable, string? RunningTool, IReadOnlyList<string> MessageIds)
{
    /// <summary>True when a later process can pick the answer up: a resumable response is known.</summary>
    public bool CanResume => Resumable && !string.IsNullOrEmpty(ResponseId);
}

/// <summary>A remote object the bot created (a conversation, a file, a vector store).</summary>
/// <param name="Kind">What it is.</param>
/// <param name="RemoteId">The provider's id.</param>
/// <param name="Label">A name for people (a file name).</param>
/// <param name="Purpose">For files: what they were uploaded for (<see cref="RemoteFilePurposes"/>).</param>
public sealed record RemoteObjectRecord(RemoteObjectKind Kind, string RemoteId, string? Label = null, string? Purpose = null);

/// <summary>Who owns a visitor's thread (<see cref="IVisitorSessions"/>).</summary>
/// <param name="VisitorId">The owner; null when the thread was given up and is no one's.</param>
public sealed record ThreadOwnership(string? VisitorId)
{
    /// <summary>True when the thread was given up: no visitor reaches it any more.</summary>
    public bool IsReleased => VisitorId is null;
}

/// <summary>An assistant a backend created for itself (<see cref="IProvisionedAssistants"/>).</summary>
/// <param name="BackendKind">The backend that made it and uses it.</param>
/// <param name="AssistantId">The provider's id of the assistant.</param>
/// <param name="SettingsHash">A hash of the settings it was made from; another hash means it must be updated.</param>
public sealed record ProvisionedAssistant(string BackendKind, string AssistantId, string SettingsHash);
