using System.Buffers.Text;
using System.ClientModel;
using System.Text.Json;
using Bot.OpenAI.Streaming;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// One event of a response stream: a text delta read on the fast path, or any other update as the SDK models it; with
/// its <c>sequence_number</c> (-1 when the event carries none), where a resumed stream starts after.
/// </summary>
internal readonly record struct ResponseStreamEvent(StreamingResponseUpdate? Update, string? ItemId = null, int ContentIndex = 0, string? Delta = null,
    StreamedImage? Image = null)
{
    public long Sequence { get; init; } = -1;
}

/// <summary>
/// Parses the events of a streamed response (POST /responses with <c>stream: true</c>, read by
/// <see cref="SseEventReader{T}"/>). Text deltas, nearly all events of an answer, are read straight from the UTF-8
/// bytes; every other event becomes the SDK's <see cref="StreamingResponseUpdate"/>.
/// </summary>
internal sealed class ResponseEventParser(long maxImageBytes)
{
    private readonly RepeatedString _itemId = new();

    /// <summary>Sends the request and returns the stream once the response headers arrived (HTTP errors throw here).</summary>
    /// <param name="maxImageBytes">The most a generated image may decode to; a bigger one is not decoded.</param>
    public static async Task<SseEventReader<ResponseStreamEvent>> OpenAsync(ResponsesClient client, BinaryContent content, TimeSpan idleTimeout,
        long maxImageBytes, CancellationToken cancellationToken)
    {
        return await SseEventReader<ResponseStreamEvent>.OpenAsync(request => client.CreateResponseAsync(content, request),
            new ResponseEventParser(maxImageBytes).Parse, idleTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams a stored background response again (GET /responses/{id}?stream=true), from its first event or after
    /// <paramref name="startingAfter"/>; returns once the response headers arrived (HTTP errors throw here).
    /// </summary>
    public static async Task<SseEventReader<ResponseStreamEvent>> ResumeAsync(ResponsesClient client, string responseId, long? startingAfter,
        TimeSpan idleTimeout, long maxImageBytes, CancellationToken cancellationToken)
    {
        int? after = startingAfter is { } n ? checked((int)n) : null;
        return await SseEventReader<ResponseStreamEvent>.OpenAsync(request => client.GetResponseAsync(responseId, [], stream: true, after, null, request),
            new ResponseEventParser(maxImageBytes).Parse, idleTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses one event given as its type and UTF-8 data (a stream's, or one rendered from a stored response).</summary>
    public ResponseStreamEvent Parse(string eventType, ReadOnlySpan<byte> data) =>
        ParseEvent(eventType, data) with { Sequence = SequenceOf(data) };

    private ResponseStreamEvent ParseEvent(string eventType, ReadOnlySpan<byte> data)
    {
        switch (eventType)
        {
            case "response.output_text.delta" when TryParseDelta(data, out var delta):
                return delta;
            case "response.image_generation_call.partial_image" when ImageEventReader.TryReadPartial(data, maxImageBytes, out var partial):
                return new ResponseStreamEvent(null, Image: partial);
            case "response.output_item.done" when ImageEventReader.TryReadDone(data, maxImageBytes, out var image):
                return new ResponseStreamEvent(null, Image: image);
            case "response.completed" or "response.incomplete" or "response.failed":
                return new ResponseStreamEvent(SdkModels.Read<StreamingResponseUpdate>(ImageEventReader.WithoutImageResults(data)));
            default:
                return new ResponseStreamEvent(SdkModels.Read<StreamingResponseUpdate>(data));
        }
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
                itemId = _itemId.Read(ref reader);
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

    // The service writes "sequence_number" right after "type": look there first, and only then read the whole object.
    private static long SequenceOf(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, 160)];
        var at = head.IndexOf("\"sequence_number\":"u8);
        if (at >= 0)
        {
            var rest = data[(at + 18)..].TrimStart(" "u8);
            if (Utf8Parser.TryParse(rest, out long value, out _))
                return value;
        }

        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sequence_number"u8) && reader.Read() && reader.TryGetInt64(out var sequence))
                return sequence;
            if (!reader.Read() || !reader.TrySkip())
                return -1;
        }

        return -1;
    }
}
