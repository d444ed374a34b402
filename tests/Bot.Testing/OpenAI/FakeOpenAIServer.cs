using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Testing.OpenAI;

/// <summary>
/// A loopback stand-in for api.openai.com (Responses, Conversations, Files, Vector Stores, Containers, and the
/// Assistants v2 API: assistants, threads, messages, runs with their steps) for the real SDK.
/// </summary>
/// <remarks>
/// Start one per test, point the SDK's <c>Endpoint</c> at <see cref="BaseUri"/>, script answers with
/// <see cref="Enqueue"/> (or <see cref="Responder"/>; one queue answers POST /responses and the Assistants runs alike:
/// a run plays a script, function calls pause it in requires_action, and the outputs submitted get the next script),
/// then assert on <see cref="ResponseRequests"/> (<see cref="RunRequests"/> for runs),
/// <see cref="Ledger"/> and the counters. All state lives in the instance.
/// </remarks>
public sealed partial class FakeOpenAIServer : IAsyncDisposable
{
    /// <summary>An API key for clients of the fake; any non-empty bearer token is accepted.</summary>
    public const string ApiKey = "sk-test-fake";

    private readonly WebApplication _app;
    private readonly FakeOpenAIState _state;
    private int _stalled;

    private FakeOpenAIServer(WebApplication app, FakeOpenAIState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>`http://127.0.0.1:{port}/v1/`, the SDK's Endpoint.</summary>
    public Uri BaseUri => _state.BaseUri;

    /// <summary>Answers POST /responses when the queue is empty (default: streams "You said: {user text}").</summary>
    public Func<FakeResponseRequest, FakeResponse> Responder
    {
        get => _state.Responder;
        set => _state.Responder = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Pause between deltas (and between replayed events) unless a script sets its own; zero by default.</summary>
    public TimeSpan DefaultTokenInterval
    {
        get => _state.DefaultTokenInterval;
        set => _state.DefaultTokenInterval = value;
    }

    /// <summary>Status of a file attached to a vector store: "completed" (default) or "in_progress" (completed on the next GET).</summary>
    public string VectorStoreFileStatusOnCreate
    {
        get => _state.VectorStoreFileStatusOnCreate;
        set => _state.VectorStoreFileStatusOnCreate = value;
    }

    /// <summary>When true (default), a conversation with an unanswered function_call rejects input that does not answer it.</summary>
    public bool RequireFunctionCallOutputs
    {
        get => _state.RequireFunctionCallOutputs;
        set => _state.RequireFunctionCallOutputs = value;
    }

    /// <summary>
    /// When true, the fake answers any POST /responses carrying `context_management` as a compatible server without
    /// compaction does: 400 `unknown_parameter`, param `context_management` (and does not record the request).
    /// </summary>
    public bool RejectContextManagement
    {
        get => _state.RejectContextManagement;
        set => _state.RejectContextManagement = value;
    }

    /// <summary>How many requests were refused because of <see cref="RejectContextManagement"/>.</summary>
    public int ContextManagementRejections => _state.ContextManagementRejections;

    /// <summary>Every POST /responses that got past validation and the conversation lock, in arrival order.</summary>
    public IReadOnlyList<FakeResponseRequest> ResponseRequests => _state.ResponseRequests;

    /// <summary>POST /responses rejected with `conversation_locked`.</summary>
    public int ConversationConflicts => _state.ConversationConflicts;

    /// <summary>The most POST /responses ever in flight at once for one conversation (a careful bot keeps this at 1).</summary>
    public int MaxConcurrentResponsesPerConversation => _state.MaxConcurrentResponsesPerConversation;

    /// <summary>Every run created or continued (POST …/runs, …/submit_tool_outputs), as the script saw it, in arrival order.</summary>
    public IReadOnlyList<FakeResponseRequest> RunRequests => _state.RunRequests;

    /// <summary>Messages or runs refused with "Can't add messages to thread_… while a run run_… is active." (or "already has an active run").</summary>
    public int RunActiveErrors => _state.RunActiveErrors;

    /// <summary>POST /moderations: what flags an input, and the requests received.</summary>
    public FakeModeration Moderation => _state.Moderation;

    /// <summary>What clients created and deleted.</summary>
    public FakeOpenAILedger Ledger => _state.Ledger;

    /// <summary>"METHOD /path" of every request received, in order.</summary>
    public IReadOnlyList<string> RequestLog => _state.RequestLog;

    /// <summary>Starts Kestrel on 127.0.0.1 (port 0 picks a free port).</summary>
    public static async Task<FakeOpenAIServer> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = LoopbackHost.CreateBuilder(port, o => o.Limits.MaxRequestBodySize = FileEndpoints.MaxUploadBytes + (1024 * 1024));

        var app = builder.Build();
        var state = new FakeOpenAIState { Stopping = app.Lifetime.ApplicationStopping };
        var server = new FakeOpenAIServer(app, state);
        app.Use(server.FrontDoorAsync);
        var v1 = app.MapGroup("/v1");
        new ConversationEndpoints(state).Map(v1);
        new ResponseEndpoints(state).Map(v1);
        new FileEndpoints(state).Map(v1);
        new VectorStoreEndpoints(state).Map(v1);
        new ContainerEndpoints(state).Map(v1);
        new AssistantEndpoints(state).Map(v1);
        new ThreadEndpoints(state).Map(v1);
        new RunEndpoints(state).Map(v1);
        new ModerationEndpoints(state.Moderation).Map(v1);
        app.MapFallback(context => OpenAIHttp.NotFoundAsync(context, $"Invalid URL ({context.Request.Method} {context.Request.Path})"));

        state.BaseUri = new Uri(await LoopbackHost.StartAsync(app, cancellationToken).ConfigureAwait(false), "v1/");
        return server;
    }

    /// <summary>Queues scripted answers for the next POST /responses, first in first out.</summary>
    public void Enqueue(params FakeResponse[] responses) => _state.Enqueue(responses);

    /// <summary>Answers the next <paramref name="times"/> requests whose path starts with <paramref name="pathPrefix"/> with an error.</summary>
    /// <param name="method">HTTP method, e.g. "POST".</param>
    /// <param name="pathPrefix">"/v1/files", "/files" or "files" alike.</param>
    public void FailNext(string method, string pathPrefix, int status, int times = 1, TimeSpan? retryAfter = null, string? message = null) =>
        _state.Faults.Add(method, pathPrefix, status, times, retryAfter, message);

    /// <summary>
    /// Holds the next <paramref name="times"/> matching requests without an answer until the client gives up (cancels, or
    /// closes its connection); the request then has no effect. Acts out a call in flight when its caller went away.
    /// </summary>
    public void StallNext(string method, string pathPrefix, int times = 1) =>
        _state.Faults.Add(method, pathPrefix, 0, times, null, null, stall: true);

    /// <summary>Requests held by <see cref="StallNext"/> so far (counted when they arrive).</summary>
    public int StalledRequests => Volatile.Read(ref _stalled);

    /// <summary>When true, file contents are sent chunked, without Content-Length, so a client learns the size only by reading.</summary>
    public bool ChunkedDownloads
    {
        get => _state.Downloads.Chunked;
        set => _state.Downloads.Chunked = value;
    }

    /// <summary>Every download of a file's content (Files API or container file) that has ended, in the order they ended.</summary>
    public IReadOnlyList<FakeDownload> Downloads => _state.Downloads.Finished;

    /// <summary>
    /// The first ended download of a file named <paramref name="filename"/>, waiting for it (a client that hangs up early
    /// is noticed by the server only a little later). Fails after <paramref name="timeout"/> (default 60 s).
    /// </summary>
    public async Task<FakeDownload> DownloadOfAsync(string filename, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (Downloads.FirstOrDefault(d => d.Filename == filename) is { } download)
            {
                return download;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No download of {filename} ended; ended: {string.Join(", ", Downloads)}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Acts out a container's expiry (20 minutes idle on the service): it and its files answer 404 from now on.</summary>
    public void ExpireContainer(string containerId) => _state.Containers.TryRemove(containerId, out _);

    /// <summary>Puts a file on the fake under a given id (a recording's cited file, say), as if uploaded earlier.</summary>
    public void AddFile(string id, string filename, byte[] content, string purpose = "assistants") =>
        _state.Files[id] = new StoredFile(id, filename, purpose, content, FakeOpenAIState.Now());

    /// <summary>
    /// Acts out a run a crashed client left on a thread: a new run in <paramref name="status"/> (in_progress or
    /// requires_action) that locks the thread until someone cancels it. Returns its id.
    /// </summary>
    public string LeaveActiveRun(string threadId, string status = "in_progress")
    {
        var thread = _state.Threads[threadId];
        var assistantId = _state.Assistants.Keys.FirstOrDefault() ?? FakeIds.Assistant();
        var run = new StoredRun(FakeIds.Run(), threadId, assistantId, FakeOpenAIState.Now()) { Status = status, StartedAt = FakeOpenAIState.Now() };
        if (status == "requires_action")
        {
            run.RequiredCalls.Add((FakeIds.Call(), "lookup", "{}"));
        }

        lock (thread.Sync)
        {
            thread.Runs.Add(run);
            thread.UnseenFrom = thread.Messages.Count;
        }

        return run.Id;
    }

    /// <summary>The status of a run, null when the thread or run is unknown.</summary>
    public string? RunStatus(string threadId, string runId)
    {
        if (!_state.Threads.TryGetValue(threadId, out var thread))
        {
            return null;
        }

        lock (thread.Sync)
        {
            return thread.Runs.Find(r => r.Id == runId)?.Status;
        }
    }

    /// <summary>Statuses of a thread's runs, oldest first (empty for an unknown thread).</summary>
    public IReadOnlyList<string> RunStatuses(string threadId)
    {
        if (!_state.Threads.TryGetValue(threadId, out var thread))
        {
            return [];
        }

        lock (thread.Sync)
        {
            return [.. thread.Runs.Select(r => r.Status)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Logging, authentication and injected faults, ahead of routing.</summary>
    private Task FrontDoorAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        _state.RecordRequest($"{request.Method} {request.Path}");
        context.Response.Headers["x-request-id"] = FakeIds.Request();
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.AsSpan(7).Trim().IsEmpty)
        {
            return OpenAIHttp.WriteErrorAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_api_key");
        }

        if (_state.Faults.TryTake(request.Method, request.Path, out var fault))
        {
            if (fault.Stall)
            {
                Interlocked.Increment(ref _stalled);
                return StallAsync(context);
            }

            var message = fault.Message ?? fault.Status switch
            {
                429 => "Rate limit reached for requests. Please try again later.",
                >= 500 => "The server had an error while processing your request. Sorry about that!",
                _ => "Injected fault.",
            };
            return OpenAIHttp.WriteErrorAsync(context, fault.Status, message, fault.Status == 429 ? "rate_limit_exceeded" : null, retryAfter: fault.RetryAfter);
        }

        return next(context);
    }

    // Waits for the client to hang up (or the fake to stop) and answers nothing.
    private async Task StallAsync(HttpContext context)
    {
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _state.Stopping);
        await Task.Delay(Timeout.Infinite, gone.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
    }
}
