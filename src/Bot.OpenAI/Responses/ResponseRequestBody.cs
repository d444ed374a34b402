using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// The JSON body of POST /responses: the SDK's serialization of the options, plus server-side compaction, which the
/// SDK (2.15) has no property for: <c>"context_management":[{"type":"compaction","compact_threshold":N}]</c>.
/// </summary>
internal static class ResponseRequestBody
{
    /// <summary>The body; <paramref name="compactThreshold"/> 0 asks for no compaction.</summary>
    public static BinaryContent Create(CreateResponseOptions options, int compactThreshold)
    {
        var json = ((IPersistableModel<CreateResponseOptions>)options).Write(ModelReaderWriterOptions.Json);
        if (compactThreshold <= 0)
            return BinaryContent.Create(json);

        // The SDK writes one JSON object: the property goes in before its closing brace.
        var bytes = json.ToMemory().Span;
        var end = bytes.LastIndexOf((byte)'}');
        if (end < 0)
            throw new InvalidOperationException("The SDK did not write the request as a JSON object.");
        var buffer = new ArrayBufferWriter<byte>(end + 80);
        buffer.Write(bytes[..end]);
        var head = bytes[..end].TrimEnd(" \t\r\n"u8);
        if (head.Length > 0 && head[^1] != (byte)'{')
            buffer.Write(","u8);
        buffer.Write("\"context_management\":[{\"type\":\"compaction\",\"compact_threshold\":"u8);
        var number = buffer.GetSpan(11);
        compactThreshold.TryFormat(number, out var written, provider: CultureInfo.InvariantCulture);
        buffer.Advance(written);
        buffer.Write("}]}"u8);
        return BinaryContent.Create(new BinaryData(buffer.WrittenMemory));
    }
}
