using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>One event of a response stream: a text delta read on the fast path, or any other update as the SDK models it.</summary>
internal readonly record struct ResponseStreamEvent(StreamingResponseUpdate? Update, string? ItemId = null, int ContentIndex = 0, string? Delta = null)
{
    public bool IsEnd => Update is null && Delta is null;
}

/// <summary>
/// Reads a streamed response (POST /responses with <c>stream: true</c>) through the SDK's pipeline (auth,
/// retries, timeouts) but parses the server-sent events itself. The SDK's own streaming path wraps the body
/// in a reconnecting reader that turns every SSE line into several strings (about 40 % of the bot's
/// allocations under load, docs/benchmarks.md) and cannot reconnect a POST anyway. Text deltas, nearly all
/// events of an answer, are read straight from the UTF-8 bytes; every other event becomes the SDK's
/// <see cref="StreamingResponseUpdate"/> as before.
/// </summary>
internal sealed class ResponseEventStream : IAsyncDisposable
{
    private static readonly ModelReaderWriterOptions s_json = new("J");
    private readonly PipelineResponse _response;
    private readonly CancellationTokenSource _idle;
    private readonly TimeSpan _idleTimeout;
    private byte[] _lastItemIdUtf8 = [];
    private string? _lastItemId;
    private readonly IAsyncEnumerator<SseItem<ResponseStreamEvent>> _events;

    private ResponseEventStream(PipelineResponse response, CancellationTokenSource idle, TimeSpan idleTimeout)
    {
        _response = response;
        _idle = idle;
        _idleTimeout = idleTimeout;
        var body = response.ContentStream ?? Stream.Null;
        _events = SseParser.Create(body, Parse).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
    }

    public ResponseStreamEvent Current => _events.Current.Data;

    /// <summary>
    /// Sends the request and returns once the response headers arrived (HTTP errors throw here). No more than
    /// <paramref name="idleTimeout"/> may pass before the headers, nor later between two events.
    /// </summary>
    public static async Task<ResponseEventStream> OpenAsync(ResponsesClient client, CreateResponseOptions options, TimeSpan idleTimeout,
        CancellationToken cancellationToken)
    {
        // One timer per stream, re-armed per event. The pipeline's own network timeout would add a linked
        // token source for every read of the body (a tenth of the allocations under load).
        var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout);
        try
        {
            using var content = BinaryContent.Create(options, s_json);
            var request = new RequestOptions { BufferResponse = false, CancellationToken = idle.Token };
            request.AddPolicy(NoNetworkTimeoutPolicy.Instance, PipelinePosition.PerCall);
            // The body's "stream": true asks for the event stream. An Accept header that names text/event-stream
            // would make System.ClientModel wrap the body in its reconnecting reader, which this class replaces.
            request.SetHeader("Accept", "*/*");
            var result = await client.CreateResponseAsync(content, request).ConfigureAwait(false);
            return new ResponseEventStream(result.GetRawResponse(), idle, idleTimeout);
        }
        catch
        {
            idle.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next event; false at the end of the stream (or at a <c>[DONE]</c> sentinel).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync()
    {
        _idle.CancelAfter(_idleTimeout);
        return await _events.MoveNextAsync().ConfigureAwait(false) && !Current.IsEnd;
    }

    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        _idle.Dispose();
    }

    private ResponseStreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
            return default;
        if (eventType == "response.output_text.delta" && TryParseDelta(data, out var delta))
            return delta;
        return new ResponseStreamEvent(ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromBytes(data.ToArray()), s_json, OpenAIContext.Default));
    }

    // {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_…","output_index":0,"content_index":0,"delta":"Hello",…}
    private bool TryParseDelta(ReadOnlySpan<byte> data, out ResponseStreamEvent delta)
    {
        delta = default;
        string? itemId = null, text = null;
        int? contentIndex = null;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("item_id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                itemId = ItemId(ref reader);
            else if (reader.ValueTextEquals("content_index"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                contentIndex = reader.GetInt32();
            else if (reader.ValueTextEquals("delta"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                text = reader.GetString();
            else if (!reader.Read() || !reader.TrySkip())
                return false;
        }

        if (itemId is null || text is null || contentIndex is null)
            return false;
        delta = new ResponseStreamEvent(null, itemId, contentIndex.Value, text);
        return true;
    }

    // All deltas of a message carry its item id: keep the string of the last one instead of allocating it per event.
    private string ItemId(ref Utf8JsonReader reader)
    {
        if (_lastItemId is not null && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(_lastItemIdUtf8))
            return _lastItemId;
        _lastItemId = reader.GetString()!;
        _lastItemIdUtf8 = reader.ValueIsEscaped ? [] : reader.ValueSpan.ToArray();
        return _lastItemId;
    }

    /// <summary>Turns the pipeline's network timeout off for one request (the stream keeps its own).</summary>
    private sealed class NoNetworkTimeoutPolicy : PipelinePolicy
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
}
