namespace Bot.OpenAI.Responses;

/// <summary>The events of one response, one at a time, as the turn loop reads them (streamed, or rendered from a stored response).</summary>
internal interface IResponseEvents : IAsyncDisposable
{
    /// <summary>The event <see cref="MoveNextAsync"/> moved to.</summary>
    ResponseStreamEvent Current { get; }

    /// <summary>Moves to the next event; false at the end.</summary>
    ValueTask<bool> MoveNextAsync();

    /// <summary>The response read, while it may still run at the service without a reader (a background one); else null.</summary>
    string? RunningResponseId { get; }
}
