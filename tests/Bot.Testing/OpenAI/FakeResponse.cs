namespace Bot.Testing.OpenAI;

/// <summary>A scripted answer to one POST /responses: output steps and an ending, an HTTP error, or a recorded replay.</summary>
/// <remarks>
/// Built fluently, e.g. <c>FakeResponse.Stream().Text("Hello there").Completed()</c>. The request's own
/// <c>stream</c> flag decides whether the script is streamed as SSE or returned as one response object.
/// A script is read-only once enqueued, so one instance may answer many requests at the same time.
/// </remarks>
public sealed partial class FakeResponse
{
    private readonly List<FakeStep> _steps = [];

    private FakeResponse(FakeResponseKind kind) => Kind = kind;

    internal FakeResponseKind Kind { get; }

    internal IReadOnlyList<FakeStep> Steps => _steps;

    internal FakeEnding? Ending { get; private set; }

    internal TimeSpan? Interval { get; private set; }

    internal FakeHttpError? Error { get; private init; }

    internal string? ReplayPath { get; private init; }

    /// <summary>Events a replay adds to the recording: before which recorded event, and the whole SSE frame.</summary>
    internal List<(int Before, ReadOnlyMemory<byte> Frame)> InsertedEvents { get; } = [];

    /// <summary>Where a replay breaks off: after how many recorded events, and whether the connection is aborted.</summary>
    internal (int After, bool Reset)? ReplayCut { get; private set; }

    /// <summary>Starts a scripted response (streamed or not, as the request asks).</summary>
    public static FakeResponse Stream() => new(FakeResponseKind.Scripted);

    /// <summary>Answers the request with an HTTP error and the OpenAI error body; `Retry-After` in whole seconds when given.</summary>
    public static FakeResponse HttpError(int status, string message, string? code = null, TimeSpan? retryAfter = null) =>
        new(FakeResponseKind.HttpError) { Error = new FakeHttpError(status, message, code, retryAfter) };

    /// <summary>Streams a recorded `.sse` fixture byte for byte (its response id and all).</summary>
    public static FakeResponse Replay(string sseFilePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sseFilePath);
        return new(FakeResponseKind.Replay) { ReplayPath = Path.GetFullPath(sseFilePath) };
    }

    /// <summary>
    /// Assistants replay: adds an event of the test's own before recorded event number <paramref name="before"/>
    /// (counted from 0), such as an event type the recording does not know, or an `error`.
    /// </summary>
    public FakeResponse InsertEvent(int before, string eventType, string data)
    {
        EnsureReplay();
        ArgumentOutOfRangeException.ThrowIfNegative(before);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        InsertedEvents.Add((before, System.Text.Encoding.UTF8.GetBytes($"event: {eventType}\ndata: {data}\n\n")));
        return this;
    }

    /// <summary>
    /// Assistants replay: the stream breaks off after <paramref name="events"/> recorded events (and the events inserted
    /// before the next one). The run goes on at the service: a moment later it stands as the whole recording leaves it,
    /// with the messages the recording completed.
    /// </summary>
    /// <param name="events">How many recorded events the client gets.</param>
    /// <param name="reset">True: abort the connection, as a dropped network does. False: close the stream cleanly, as a proxy does.</param>
    public FakeResponse CutAfter(int events, bool reset = true)
    {
        EnsureReplay();
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ReplayCut = (events, reset);
        return this;
    }

    /// <summary>An assistant message streamed as word-sized deltas, with optional citations.</summary>
    public FakeResponse Text(string text, params FakeCitation[] citations)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Add(new TextStep(text, citations));
    }

    /// <summary>A `function_call` item; the call id is generated when not given.</summary>
    public FakeResponse FunctionCall(string name, string argumentsJson, string? callId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(argumentsJson);
        return Add(new FunctionCallStep(name, argumentsJson, callId));
    }

    /// <summary>A `code_interpreter_call` that writes a file into the conversation's container; the next text cites it.</summary>
    public FakeResponse CodeInterpreterFile(string filename, byte[] content, string? code = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filename);
        ArgumentNullException.ThrowIfNull(content);
        code ??= filename.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            ? $"import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [2, 4, 6])\nplt.savefig('/mnt/data/{filename}')"
            : $"import pandas as pd\ndf = pd.DataFrame({{'x': [1, 2, 3]}})\ndf.to_csv('/mnt/data/{filename}', index=False)";
        return Add(new CodeInterpreterStep(filename, content, code));
    }

    /// <summary>
    /// A `code_interpreter_call` that writes a file of <paramref name="size"/> zero bytes, made up as the file is served:
    /// a huge file costs the fake no memory.
    /// </summary>
    public FakeResponse CodeInterpreterFile(string filename, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        CodeInterpreterFile(filename, []);
        _steps[^1] = (CodeInterpreterStep)_steps[^1] with { Size = size };
        return this;
    }

    /// <summary>A `file_search_call` item with the given queries.</summary>
    public FakeResponse FileSearch(params string[] queries) => Add(new FileSearchStep(queries));

    /// <summary>
    /// A `web_search_call` item searching for <paramref name="query"/>; <paramref name="failed"/> ends it with status
    /// `failed` and no `completed` event, as the service reports a search that did not work.
    /// </summary>
    public FakeResponse WebSearch(string query, bool failed = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(query);
        return Add(new WebSearchStep(query, failed));
    }

    /// <summary>A `compaction` output item (the service compacted the conversation before answering).</summary>
    public FakeResponse Compaction() => Add(new CompactionStep());

    /// <summary>Waits before the next step (the client sees no event meanwhile).</summary>
    public FakeResponse Delay(TimeSpan delay) => Add(new DelayStep(delay));

    /// <summary>The pause between deltas for this response (overrides the server's default).</summary>
    public FakeResponse TokenInterval(TimeSpan interval)
    {
        EnsureScripted();
        Interval = interval;
        return this;
    }

    /// <summary>Ends with `response.completed` (the default ending).</summary>
    public FakeResponse Completed() => End(new FakeEnding(FakeEndingKind.Completed));

    /// <summary>Ends with `response.failed` carrying `error`.</summary>
    public FakeResponse Failed(string code = "server_error", string message = "The server had an error while processing your request. Sorry about that!") =>
        End(new FakeEnding(FakeEndingKind.Failed, code, message));

    /// <summary>Ends with `response.incomplete` carrying `incomplete_details.reason`.</summary>
    public FakeResponse Incomplete(string reason = "max_output_tokens") =>
        End(new FakeEnding(FakeEndingKind.Incomplete, Reason: reason));

    /// <summary>
    /// Assistants: ends with `thread.run.expired` (the run outlived its ten minutes). The Responses API has no such
    /// status: there the stream ends without a terminal event.
    /// </summary>
    public FakeResponse Expired() => End(new FakeEnding(FakeEndingKind.Expired));

    /// <summary>
    /// Assistants: ends with `thread.run.cancelled`, as when someone else cancelled the run. On the Responses side the
    /// response is marked cancelled and the stream ends without a terminal event.
    /// </summary>
    public FakeResponse Cancelled() => End(new FakeEnding(FakeEndingKind.Cancelled));

    /// <summary>Sends an `error` event, then ends the stream without a terminal event.</summary>
    public FakeResponse ErrorEvent(string code, string message) =>
        End(new FakeEnding(FakeEndingKind.ErrorEvent, code, message));

    /// <summary>Ends the stream after the steps without a terminal event.</summary>
    /// <param name="reset">
    /// True (default): abort the connection, as a dropped network does (the SDK's enumeration throws an IOException).
    /// False: close the stream cleanly, as a proxy that cuts a long response does (the enumeration just ends).
    /// </param>
    public FakeResponse Cut(bool reset = true) => End(new FakeEnding(FakeEndingKind.Cut, Reset: reset));

    public override string ToString() => Kind switch
    {
        FakeResponseKind.HttpError => $"HTTP {Error!.Status} {Error.Message}",
        FakeResponseKind.Replay => $"replay {ReplayPath}",
        _ => $"{_steps.Count} steps, {(Ending ?? FakeEnding.Default).Kind}",
    };

    private FakeResponse Add(FakeStep step)
    {
        EnsureScripted();
        if (Ending is not null)
        {
            throw new InvalidOperationException($"Steps cannot follow the ending ({Ending.Kind}).");
        }

        _steps.Add(step);
        return this;
    }

    private FakeResponse End(FakeEnding ending)
    {
        EnsureScripted();
        if (Ending is not null)
        {
            throw new InvalidOperationException($"The response already ends with {Ending.Kind}.");
        }

        Ending = ending;
        return this;
    }

    private void EnsureReplay()
    {
        if (Kind != FakeResponseKind.Replay)
        {
            throw new InvalidOperationException($"A {Kind} response is not a replay.");
        }
    }

    private void EnsureScripted()
    {
        if (Kind != FakeResponseKind.Scripted)
        {
            throw new InvalidOperationException($"A {Kind} response has no steps.");
        }
    }
}

internal enum FakeResponseKind
{
    Scripted,
    HttpError,
    Replay,
}

internal enum FakeEndingKind
{
    Completed,
    Failed,
    Incomplete,
    ErrorEvent,
    Cut,
    Expired,
    Cancelled,
}

internal sealed record FakeEnding(FakeEndingKind Kind, string? Code = null, string? Message = null, string? Reason = null, bool Reset = true)
{
    public static readonly FakeEnding Default = new(FakeEndingKind.Completed);
}

internal sealed record FakeHttpError(int Status, string Message, string? Code, TimeSpan? RetryAfter);

internal abstract record FakeStep;

internal sealed record TextStep(string Text, IReadOnlyList<FakeCitation> Citations) : FakeStep;

internal sealed record FunctionCallStep(string Name, string Arguments, string? CallId) : FakeStep;

/// <summary>A generated file: <see cref="Content"/>, or <see cref="Size"/> zero bytes when given.</summary>
internal sealed record CodeInterpreterStep(string Filename, byte[] Content, string Code, long? Size = null) : FakeStep;

internal sealed record FileSearchStep(IReadOnlyList<string> Queries) : FakeStep;

internal sealed record DelayStep(TimeSpan Delay) : FakeStep;

internal sealed record WebSearchStep(string Query, bool Failed) : FakeStep;

internal sealed record CompactionStep : FakeStep;
