namespace Bot.Testing.OpenAI;

/// <summary>Background responses: what the fake refuses, where it cuts streams, and the resumes it saw.</summary>
internal sealed partial class FakeOpenAIState
{
    private readonly List<(string ResponseId, long? StartingAfter)> _resumeRequests = [];
    private readonly List<TimeSpan> _resumeGaps = [];
    private int _backgroundRejections;
    private int _cutOnceAfter;

    /// <summary>True: POST /responses with `background: true` gets the 400 of a server that does not know the parameter.</summary>
    public bool RejectBackground { get; set; }

    public int BackgroundRejections => Volatile.Read(ref _backgroundRejections);

    public void RecordBackgroundRejection() => Interlocked.Increment(ref _backgroundRejections);

    /// <summary>Every stream of a background response is cut after this many events (0 = never).</summary>
    public int CutStreamsEvery { get; set; }

    /// <summary>True: a cut aborts the connection; false: the stream just ends, as a proxy's cut does.</summary>
    public bool CutByReset { get; set; } = true;

    /// <summary>The next stream of a background response is cut after this many events (0 = none pending).</summary>
    public void CutOnceAfter(int events) => Volatile.Write(ref _cutOnceAfter, events);

    /// <summary>True: the events of background responses are lost for resumes (a resume asks for events beyond the end).</summary>
    public bool LoseStoredEvents { get; set; }

    /// <summary>The events after which the stream starting now is cut, or null for none.</summary>
    public int? TakeStreamCut()
    {
        var once = Interlocked.Exchange(ref _cutOnceAfter, 0);
        if (once > 0)
        {
            return once;
        }

        var every = CutStreamsEvery;
        return every > 0 ? every : null;
    }

    public IReadOnlyList<(string ResponseId, long? StartingAfter)> ResumeRequests
    {
        get
        {
            lock (_observationsSync)
            {
                return [.. _resumeRequests];
            }
        }
    }

    public void RecordResume(string responseId, long? startingAfter)
    {
        lock (_observationsSync)
        {
            _resumeRequests.Add((responseId, startingAfter));
        }
    }

    /// <summary>Per cut stream that was resumed, the time from the cut until the resumed stream sent its next event.</summary>
    public IReadOnlyList<TimeSpan> ResumeGaps
    {
        get
        {
            lock (_observationsSync)
            {
                return [.. _resumeGaps];
            }
        }
    }

    public void RecordResumeGap(TimeSpan gap)
    {
        lock (_observationsSync)
        {
            _resumeGaps.Add(gap);
        }
    }
}
