using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
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
    private readonly IAsyncEnumerator<SseItem<ResponseStreamEvent>> _events;

    private ResponseEventStream(PipelineResponse response, CancellationToken cancellationToken)
    {
        _response = response;
        var body = response.ContentStream ?? Stream.Null;
        _events = SseParser.Create(body, Parse).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public ResponseStreamEvent Current => _events.Current.Data;

    /// <summary>Sends the request and returns once the response headers arrived (HTTP errors throw here).</summary>
    public static async Task<ResponseEventStream> OpenAsync(ResponsesClient client, CreateResponseOptions options, CancellationToken cancellationToken)
    {
        using var content = BinaryContent.Create(options, s_json);
        var request = new RequestOptions { BufferResponse = false, CancellationToken = cancellationToken };
        // The body's "stream": true asks for the event stream. An Accept header that names text/event-stream
        // would make System.ClientModel wrap the body in its reconnecting reader, which this class replaces.
        request.SetHeader("Accept", "*/*");
        var result = await client.CreateResponseAsync(content, request).ConfigureAwait(false);
        return new ResponseEventStream(result.GetRawResponse(), cancellationToken);
    }

    /// <summary>Moves to the next event; false at the end of the stream (or at a <c>[DONE]</c> sentinel).</summary>
    public async ValueTask<bool> MoveNextAsync() => await _events.MoveNextAsync().ConfigureAwait(false) && !Current.IsEnd;

    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    private static ResponseStreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
            return default;
        if (eventType == "response.output_text.delta" && TryParseDelta(data, out var delta))
            return delta;
        return new ResponseStreamEvent(ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromBytes(data.ToArray()), s_json, OpenAIContext.Default));
    }

    // {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_…","output_index":0,"content_index":0,"delta":"Hello",…}
    private static bool TryParseDelta(ReadOnlySpan<byte> data, out ResponseStreamEvent delta)
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
                itemId = reader.GetString();
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
}
