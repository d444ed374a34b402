using System.IO.Pipelines;
using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>Writes `event:`/`data:` frames straight into the response pipe, one flush per event.</summary>
/// <remarks>
/// One Utf8JsonWriter per stream, reset per event onto Kestrel's pooled pipe buffers, so an event costs
/// no array or string of its own. This is what lets a benchmark push a thousand streams through one fake.
/// </remarks>
internal sealed class SseEventWriter : IDisposable
{
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly CancellationToken _aborted;
    private int _sequence;

    public SseEventWriter(PipeWriter pipe, CancellationToken aborted)
    {
        _pipe = pipe;
        _aborted = aborted;
        _json = new Utf8JsonWriter(pipe, JsonNames.WriterOptions);
    }

    /// <summary>Starts an event: writes the `event:` line and `{"type":…,"sequence_number":…` of its data.</summary>
    public Utf8JsonWriter Begin(JsonEncodedText type)
    {
        WriteBytes("event: "u8);
        WriteBytes(type.EncodedUtf8Bytes);
        WriteBytes("\ndata: "u8);
        _json.Reset(_pipe);
        _json.WriteStartObject();
        _json.WriteString(JsonNames.Type, type);
        _json.WriteNumber(JsonNames.SequenceNumber, _sequence++);
        return _json;
    }

    /// <summary>
    /// Starts an Assistants event: writes the `event:` line; the caller writes the whole data object (which, unlike
    /// a Responses event, carries no `type` or `sequence_number` of its own), then calls <see cref="EndDataAsync"/>.
    /// </summary>
    public Utf8JsonWriter BeginData(JsonEncodedText eventName)
    {
        WriteBytes("event: "u8);
        WriteBytes(eventName.EncodedUtf8Bytes);
        WriteBytes("\ndata: "u8);
        _json.Reset(_pipe);
        return _json;
    }

    /// <summary>Starts an Assistants event whose data object the caller fills; <see cref="EndAsync"/> closes it.</summary>
    public Utf8JsonWriter BeginObject(JsonEncodedText eventName)
    {
        BeginData(eventName).WriteStartObject();
        return _json;
    }

    /// <summary>Ends an event started with <see cref="BeginData"/> and flushes it to the client.</summary>
    public async ValueTask EndDataAsync()
    {
        _json.Flush();
        WriteBytes("\n\n"u8);
        ThrowIfGone(await _pipe.FlushAsync(_aborted).ConfigureAwait(false));
    }

    /// <summary>Writes the Assistants stream's end, `event: done` / `data: [DONE]`, and flushes.</summary>
    public async ValueTask WriteDoneAsync()
    {
        WriteBytes("event: done\ndata: [DONE]\n\n"u8);
        ThrowIfGone(await _pipe.FlushAsync(_aborted).ConfigureAwait(false));
    }

    /// <summary>Closes the event's JSON, ends the frame with a blank line and flushes it to the client.</summary>
    public async ValueTask EndAsync()
    {
        _json.WriteEndObject();
        _json.Flush();
        WriteBytes("\n\n"u8);
        ThrowIfGone(await _pipe.FlushAsync(_aborted).ConfigureAwait(false));
    }

    /// <summary>Writes pre-framed bytes (a replayed event) and flushes.</summary>
    public async ValueTask WriteRawAsync(ReadOnlyMemory<byte> frame)
    {
        ThrowIfGone(await _pipe.WriteAsync(frame, _aborted).ConfigureAwait(false));
    }

    public void Dispose() => _json.Dispose();

    // A client that went away completes the pipe instead of throwing; stop the script either way.
    private static void ThrowIfGone(FlushResult result)
    {
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new OperationCanceledException("The client closed the stream.");
        }
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        var span = _pipe.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _pipe.Advance(bytes.Length);
    }
}
