using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>What a running turn has done so far: remote ids, usage, first token, and how it ended.</summary>
internal sealed class TurnProgress(TimeProvider time)
{
    private readonly List<string> _responseIds = [];
    private TokenUsage _usage;
    private DateTimeOffset? _firstTokenAt;

    public TurnStatus Status { get; set; } = TurnStatus.Failed;

    public string? Error { get; set; }

    /// <summary>The tokens the backend reported so far.</summary>
    public TokenUsage Usage => _usage;

    public void Observe(AssistantEvent assistantEvent)
    {
        switch (assistantEvent)
        {
            case ResponseStarted started:
                _responseIds.Add(started.ResponseId);
                break;
            case UsageReported usage:
                _usage += usage.Usage;
                break;
            case TextDelta when _firstTokenAt is null:
                _firstTokenAt = time.GetUtcNow();
                break;
        }
    }

    public TurnOutcome Outcome(DateTimeOffset finishedAt) => new(Status, _responseIds, _usage, _firstTokenAt, finishedAt, Error);
}
