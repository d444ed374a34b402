using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Bot.Core.Backends;

namespace Bot.OpenAI.Streaming;

/// <summary>Reads one server-sent event, its type and its UTF-8 data, into what a backend acts on.</summary>
internal delegate T SseEventParser<T>(string eventType, ReadOnlySpan<byte> data);

/// <summary>
/// Reads a streamed OpenAI request (POST /responses, POST /threads/{id}/runs or …/submit_tool_outputs with
/// <c>stream: true</c>) for both backends: the request goes through the SDK's pipeline (auth, retries with
/// <see cref="BackoffRetryPolicy"/>, error statuses as exceptions) by a protocol method, but the body is parsed
/// here. The SDK's own streaming helpers wrap the body in a reconnecting reader that turns every SSE line into
/// several strings and every event into a JSON document (most of the bot's allocations under load,
/// docs/benchmarks.md), and cannot reconnect a POST anyway. Each event's type and UTF-8 data go to the backend's
/// parser; a <c>[DONE]</c> sentinel ends the stream. Failures come out as <see cref="AssistantFailureException"/>,
/// a cut once an event arrived as <see cref="FailureKind.StreamCut"/>; the caller's own
/// cancellation comes out as it is.
/// </summary>
internal sealed class SseEventReader<T> : IAsyncDisposable
{
    private readonly PipelineResponse _response;
    private readonly CancellationTokenSource _idle;
    private readonly TimeSpan _idleTimeout;
    private readonly long _rearmAfterMs;
    private long _armedAtMs;
    private readonly CancellationToken _cancellationToken;
    private readonly SseEventParser<T> _parse;
    private readonly IAsyncEnumerator<SseItem<Frame>> _events;

    private SseEventReader(PipelineResponse response, SseEventParser<T> parse, CancellationTokenSource idle, TimeSpan idleTimeout,
        CancellationToken cancellationToken)
    {
        _response = response;
        _parse = parse;
        _idle = idle;
        _idleTimeout = idleTimeout + Slack(idleTimeout);
        _rearmAfterMs = (long)Slack(idleTimeout).TotalMilliseconds;
        _armedAtMs = Environment.TickCount64 - _rearmAfterMs; // the first event re-arms
        _cancellationToken = cancellationToken;
        var body = response.ContentStream ?? Stream.Null;
        _events = SseParser.Create(body, ParseFrame).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
    }

    /// <summary>The event <see cref="MoveNextAsync"/> moved to.</summary>
    public T Current => _events.Current.Data.Value;

    /// <summary>True once an event arrived: a failure after that is a cut stream, not an unreachable service.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// Sends the request through <paramref name="send"/> (a protocol method of an SDK client, given the request
    /// options to pass on) and returns once the response headers arrived; HTTP errors throw here, after the
    /// pipeline's retries. No more than <paramref name="idleTimeout"/> may pass before the headers, nor later
    /// between two events (give or take a slack of an eighth of it, at most a second, which is only ever added).
    /// </summary>
    public static async Task<SseEventReader<T>> OpenAsync(Func<RequestOptions, Task<ClientResult>> send, SseEventParser<T> parse,
        TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        // One timer per stream, re-armed per event. The pipeline's own network timeout would add a linked
        // token source for every read of the body (a tenth of the allocations under load).
        var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout + Slack(idleTimeout));
        try
        {
            var request = new RequestOptions { BufferResponse = false, CancellationToken = idle.Token };
            request.AddPolicy(NoNetworkTimeoutPolicy.Instance, PipelinePosition.PerCall);
            // The body's "stream": true asks for the event stream. An Accept header that names text/event-stream
            // would make System.ClientModel wrap the body in its reconnecting reader, which this class replaces.
            request.SetHeader("Accept", "*/*");
            var result = await send(request).ConfigureAwait(false);
            return new SseEventReader<T>(result.GetRawResponse(), parse, idle, idleTimeout, cancellationToken);
        }
        catch (Exception ex)
        {
            idle.Dispose();
            if (FailureMapping.FromException(ex, midStream: false, cancellationToken) is { } failure)
                throw failure;
            throw;
        }
    }

    /// <summary>Moves to the next event; false at the end of the stream (or at a <c>[DONE]</c> sentinel).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync()
    {
        // Re-arming a timer takes a lock on the runtime's timer queue; at tens of thousands of events a second that adds
        // up, so the timer runs a little long (the slack) and is re-armed only once the slack has passed. It still never
        // fires sooner than the idle timeout after the last event, and at most the slack later.
        var now = Environment.TickCount64;
        if (now - _armedAtMs >= _rearmAfterMs)
        {
            _armedAtMs = now;
            _idle.CancelAfter(_idleTimeout);
        }

        try
        {
            if (!await _events.MoveNextAsync().ConfigureAwait(false) || _events.Current.Data.IsEnd)
                return false;
        }
        catch (Exception ex) when (FailureMapping.FromException(ex, Started, _cancellationToken) is { } failure)
        {
            throw failure;
        }

        Started = true;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        _idle.Dispose();
    }

    // An eighth of the timeout, at most a second.
    private static TimeSpan Slack(TimeSpan idleTimeout) =>
        idleTimeout == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(idleTimeout.Ticks / 8, TimeSpan.TicksPerSecond));

    private Frame ParseFrame(string eventType, ReadOnlySpan<byte> data) =>
        data.SequenceEqual("[DONE]"u8) ? new Frame(default!, IsEnd: true) : new Frame(_parse(eventType, data), IsEnd: false);

    /// <summary>A parsed event, or the end of the stream.</summary>
    private readonly record struct Frame(T Value, bool IsEnd);
}

/// <summary>Turns the pipeline's network timeout off for one request (the stream keeps its own).</summary>
internal sealed class NoNetworkTimeoutPolicy : PipelinePolicy
{
    public static NoNetworkTimeoutPolicy Instance { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.NetworkTimeout = Timeout.InfiniteTimeSpan;
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.NetworkTimeout = Timeout.InfiniteTimeSpan;
        return ProcessNextAsync(message, pipeline, currentIndex);
    }
}
