namespace Bot.Core.Conversations;

/// <summary>Why a running turn was cancelled by the bot's own controls.</summary>
internal enum CancelReason
{
    None,
    Stop,
    Reset,
    /// <summary>This instance may no longer hold the conversation's lease: the turn ends without a word; the next holder tells the user.</summary>
    LeaseLost,
}

/// <summary>The cancellation of one running turn, and why it was cancelled.</summary>
internal sealed class TurnControl : IDisposable
{
    private readonly CancellationTokenSource _source;

    public TurnControl(CancellationToken shutdown) => _source = CancellationTokenSource.CreateLinkedTokenSource(shutdown);

    public CancellationToken Token => _source.Token;

    public CancelReason Reason { get; private set; }

    public void Cancel(CancelReason reason)
    {
        if (Reason == CancelReason.None)
            Reason = reason;
        _source.Cancel();
    }

    public void Dispose() => _source.Dispose();
}
