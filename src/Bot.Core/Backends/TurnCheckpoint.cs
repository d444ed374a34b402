namespace Bot.Core.Backends;

/// <summary>
/// Where a turn's remote answer stands, so that it can be picked up again after a cut stream, a restart or a takeover.
/// The backend writes it as events arrive (plain field writes, no allocation per event); the core reads it when it
/// stores the turn's progress (with each visible write, and at once when <see cref="ResponseId"/> changes). Written by
/// one turn at a time; readers on other threads may see a slightly older value, never a torn one that matters.
/// </summary>
public sealed class TurnCheckpoint
{
    private string? _responseId;
    private long _sequenceNumber;
    private long _responseChanges;

    /// <summary>
    /// The remote response (Responses) or run (Assistants) the turn is streaming now; null before the first one
    /// started. A turn with function tools goes through several: this is always the latest.
    /// </summary>
    public string? ResponseId
    {
        get => Volatile.Read(ref _responseId);
        set
        {
            Volatile.Write(ref _responseId, value);
            Interlocked.Exchange(ref _sequenceNumber, 0);
            Interlocked.Increment(ref _responseChanges);
        }
    }

    /// <summary>The sequence number of the last event seen of <see cref="ResponseId"/> (0 = none yet).</summary>
    public long SequenceNumber
    {
        get => Interlocked.Read(ref _sequenceNumber);
        set => Interlocked.Exchange(ref _sequenceNumber, value);
    }

    /// <summary>
    /// True when <see cref="ResponseId"/> can be streamed again or followed to its end (a background response, an
    /// Assistants run); false for plain streaming, where nothing survives the stream.
    /// </summary>
    public bool Resumable { get; set; }

    /// <summary>
    /// The function tool the bot is running now for this turn (null when none): a turn that dies during it is resumed
    /// only when the tool is <see cref="Tools.IFunctionTool.Idempotent"/>; otherwise the user is told this step was lost.
    /// </summary>
    public string? RunningTool { get; set; }

    /// <summary>Counts changes of <see cref="ResponseId"/>, so that a reader knows when to store at once.</summary>
    public long ResponseChanges => Interlocked.Read(ref _responseChanges);
}

/// <summary>
/// A turn to finish that an earlier process (this one before a restart, or an instance whose lease was taken over)
/// left running: its stored <see cref="TurnCheckpoint"/>.
/// </summary>
/// <param name="Thread">The conversation's remote state.</param>
/// <param name="ResponseId">The response or run that was being streamed.</param>
/// <param name="RunningTool">The function tool that was running when the turn died, if any.</param>
/// <param name="Approver">Asks about remote tool calls that need approval, as in <see cref="TurnRequest.Approver"/>.</param>
/// <param name="Settings">The place's settings, as in <see cref="TurnRequest.Settings"/>.</param>
public sealed record ResumeRequest(RemoteThread Thread, string ResponseId, string? RunningTool = null,
    Tools.Approvals.IToolApprover? Approver = null, TurnSettings? Settings = null)
{
    /// <summary>The approver to ask (never null).</summary>
    public Tools.Approvals.IToolApprover Approvals => Approver ?? Tools.Approvals.IToolApprover.None;

    /// <summary>The settings to apply (never null).</summary>
    public TurnSettings Overrides => Settings ?? TurnSettings.None;
}
