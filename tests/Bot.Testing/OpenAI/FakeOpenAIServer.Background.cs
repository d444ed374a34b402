namespace Bot.Testing.OpenAI;

/// <summary>Background responses: refusing them, cutting their streams, losing their stored events, and the resumes seen.</summary>
public sealed partial class FakeOpenAIServer
{
    /// <summary>
    /// When true, POST /responses with `background: true` gets what a compatible server without background responses
    /// answers: 400 `unknown_parameter`, param `background` (the request is not recorded).
    /// </summary>
    public bool RejectBackground
    {
        get => _state.RejectBackground;
        set => _state.RejectBackground = value;
    }

    /// <summary>How many requests were refused because of <see cref="RejectBackground"/>.</summary>
    public int BackgroundRejections => _state.BackgroundRejections;

    /// <summary>Cuts every stream of a background response (the first and every resumed one) after this many events; 0 = never.</summary>
    public int CutStreamsEvery
    {
        get => _state.CutStreamsEvery;
        set => _state.CutStreamsEvery = value;
    }

    /// <summary>True (default): a cut aborts the connection, as a dropped network does; false: the stream just ends, as a proxy's cut does.</summary>
    public bool CutByReset
    {
        get => _state.CutByReset;
        set => _state.CutByReset = value;
    }

    /// <summary>Cuts the next stream of a background response (first or resumed) after <paramref name="events"/> events, once.</summary>
    public void CutOnceAfter(int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        _state.CutOnceAfter(events);
    }

    /// <summary>
    /// When true, the service has lost the stored events of background responses: a resume with `starting_after` asks
    /// for events beyond the last one it has and gets 400.
    /// </summary>
    public bool LoseStoredEvents
    {
        get => _state.LoseStoredEvents;
        set => _state.LoseStoredEvents = value;
    }

    /// <summary>Every GET /responses/{id}?stream=true: the response and its `starting_after` (null = from the start), in order.</summary>
    public IReadOnlyList<(string ResponseId, long? StartingAfter)> ResumeRequests => _state.ResumeRequests;

    /// <summary>
    /// Per cut stream that a client resumed: the time from the cut until the resumed stream sent its next event (the
    /// answer's extra wait caused by the cut, as the service sees it).
    /// </summary>
    public IReadOnlyList<TimeSpan> ResumeGaps => _state.ResumeGaps;

    /// <summary>The status of a response (queued, in_progress, completed, incomplete, failed, cancelled), null when unknown.</summary>
    public string? ResponseStatus(string responseId)
    {
        if (!_state.Responses.TryGetValue(responseId, out var response))
        {
            return null;
        }

        lock (response.Sync)
        {
            return response.Status;
        }
    }

    /// <summary>Waits until a response has ended (any status but queued and in_progress); fails after <paramref name="timeout"/>.</summary>
    public async Task<string> ResponseEndedAsync(string responseId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (ResponseStatus(responseId) is { } status and not ("queued" or "in_progress"))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Response {responseId} did not end; it is {ResponseStatus(responseId) ?? "unknown"}.");
            }

            await Task.Delay(20);
        }
    }
}
