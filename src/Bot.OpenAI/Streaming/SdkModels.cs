using System.ClientModel.Primitives;
using OpenAI;

namespace Bot.OpenAI.Streaming;

/// <summary>Reads an SDK model (a run, a finished message, a response update) from an event's UTF-8 JSON data.</summary>
internal static class SdkModels
{
    private static readonly ModelReaderWriterOptions s_json = new("J");

    public static T Read<T>(ReadOnlySpan<byte> data)
        where T : IPersistableModel<T> =>
        ModelReaderWriter.Read<T>(BinaryData.FromBytes(data.ToArray()), s_json, OpenAIContext.Default)
        ?? throw new System.Text.Json.JsonException($"The event data is not a {typeof(T).Name}.");
}
