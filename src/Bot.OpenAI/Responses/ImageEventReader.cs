using System.Text.Json;

namespace Bot.OpenAI.Responses;

/// <summary>What went wrong with an image read from the stream.</summary>
internal enum StreamedImageProblem
{
    None,

    /// <summary>The call has no image (<c>result</c> null or absent).</summary>
    Missing,

    /// <summary>The image decodes to more than the limit; it was not decoded.</summary>
    TooLarge,

    /// <summary>The base64 text does not decode.</summary>
    Malformed,
}

/// <summary>
/// An image of an <c>image_generation_call</c> read straight from the stream: a partial image
/// (<see cref="PartialIndex"/> set) or the finished call (<see cref="Status"/> set, <see cref="Bytes"/> its result).
/// </summary>
internal sealed record StreamedImage(string CallId, int? PartialIndex, string? Status, byte[]? Bytes, StreamedImageProblem Problem);

/// <summary>
/// Reads the events that carry images (several MB of base64 each) from their UTF-8 bytes: the base64 text is decoded
/// once, straight into the image's bytes, without a string, a JSON document or the SDK's model in between, and not at all
/// when it is over the limit. The response object of a terminal event repeats every image; the SDK gets it without them.
/// </summary>
internal static class ImageEventReader
{
    /// <summary>
    /// <c>response.image_generation_call.partial_image</c>:
    /// <c>{"type":…,"output_index":0,"item_id":"ig_…","sequence_number":5,"partial_image_index":0,"partial_image_b64":"iVBOR…",…}</c>.
    /// </summary>
    public static bool TryReadPartial(ReadOnlySpan<byte> data, long maxBytes, out StreamedImage? image)
    {
        image = null;
        string? itemId = null;
        int? index = null;
        (byte[]? Bytes, StreamedImageProblem Problem)? decoded = null;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("item_id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                itemId = reader.GetString();
            else if (reader.ValueTextEquals("partial_image_index"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                index = reader.TryGetInt32(out var i) ? i : null;
            else if (reader.ValueTextEquals("partial_image_b64"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                decoded = Decode(ref reader, maxBytes);
            else if (!reader.Read() || !reader.TrySkip())
                return false;
        }

        if (itemId is null || index is null || decoded is not { } image64)
            return false;
        image = new StreamedImage(itemId, index, null, image64.Bytes, image64.Problem);
        return true;
    }

    /// <summary>
    /// <c>response.output_item.done</c> of an image generation call:
    /// <c>{"type":…,"output_index":1,"sequence_number":9,"item":{"id":"ig_…","type":"image_generation_call","status":"completed","result":"iVBOR…"}}</c>.
    /// False for any other item.
    /// </summary>
    public static bool TryReadDone(ReadOnlySpan<byte> data, long maxBytes, out StreamedImage? image)
    {
        image = null;
        if (data.IndexOf("\"image_generation_call\""u8) < 0)
            return false;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("item"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                return TryReadItem(ref reader, maxBytes, out image);
            if (!reader.Read() || !reader.TrySkip())
                return false;
        }

        return false;
    }

    /// <summary>
    /// The data of a terminal event (<c>response.completed</c> and the like) with every <c>result</c> string, the images
    /// already taken from <c>response.output_item.done</c>, replaced by null: the SDK would decode each again, and one that
    /// is not base64 would fail the whole event. The same bytes when the response made no image.
    /// </summary>
    public static ReadOnlySpan<byte> WithoutImageResults(ReadOnlySpan<byte> data)
    {
        if (data.IndexOf("\"image_generation_call\""u8) < 0)
            return data;
        List<(int Start, int End)>? cuts = null;
        var reader = new Utf8JsonReader(data);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("result"u8) || !reader.Read())
                continue;
            if (reader.TokenType == JsonTokenType.String)
                (cuts ??= []).Add(((int)reader.TokenStartIndex, (int)reader.BytesConsumed));
        }

        if (cuts is null)
            return data;
        var trimmed = new byte[data.Length - cuts.Sum(c => c.End - c.Start - 4)];
        int from = 0, to = 0;
        foreach (var (start, end) in cuts)
        {
            data[from..start].CopyTo(trimmed.AsSpan(to));
            to += start - from;
            "null"u8.CopyTo(trimmed.AsSpan(to));
            to += 4;
            from = end;
        }

        data[from..].CopyTo(trimmed.AsSpan(to));
        return trimmed;
    }

    // The properties of the item, in whatever order they come.
    private static bool TryReadItem(ref Utf8JsonReader reader, long maxBytes, out StreamedImage? image)
    {
        image = null;
        string? id = null, type = null, status = null;
        (byte[]? Bytes, StreamedImageProblem Problem) result = (null, StreamedImageProblem.Missing);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                id = reader.GetString();
            else if (reader.ValueTextEquals("type"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                type = reader.GetString();
            else if (reader.ValueTextEquals("status"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                status = reader.GetString();
            else if (reader.ValueTextEquals("result"u8) && reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String)
                    result = Decode(ref reader, maxBytes);
                else if (!reader.TrySkip())
                    return false;
            }
            else if (!reader.Read() || !reader.TrySkip())
                return false;
        }

        if (type != "image_generation_call" || id is null)
            return false;
        image = new StreamedImage(id, null, status ?? "completed", result.Bytes, result.Problem);
        return true;
    }

    // The reader is on a base64 string: decoded once, unless it would be over the limit.
    private static (byte[]? Bytes, StreamedImageProblem Problem) Decode(ref Utf8JsonReader reader, long maxBytes)
    {
        long encoded = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (encoded == 0)
            return (null, StreamedImageProblem.Missing);
        // Four characters carry three bytes; escapes only make the text longer than what it decodes to.
        if (encoded / 4 * 3 - 2 > maxBytes)
            return (null, StreamedImageProblem.TooLarge);
        if (!reader.TryGetBytesFromBase64(out var bytes) || bytes is null)
            return (null, StreamedImageProblem.Malformed);
        return bytes.Length > maxBytes ? (null, StreamedImageProblem.TooLarge) : (bytes, StreamedImageProblem.None);
    }
}
