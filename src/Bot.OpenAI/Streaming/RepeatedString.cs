using System.Text.Json;

namespace Bot.OpenAI.Streaming;

/// <summary>
/// The string of a JSON value that repeats from one event to the next (every delta of a message names the same
/// item or message id): read once, then handed out again while the bytes stay the same.
/// </summary>
internal sealed class RepeatedString
{
    private byte[] _utf8 = [];
    private string? _value;

    /// <summary>The string at the reader's current token.</summary>
    public string Read(ref Utf8JsonReader reader)
    {
        if (_value is not null && !reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.SequenceEqual(_utf8))
            return _value;
        _value = reader.GetString()!;
        _utf8 = reader.ValueIsEscaped || reader.HasValueSequence ? [] : reader.ValueSpan.ToArray();
        return _value;
    }
}
