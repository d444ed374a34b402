namespace Bot.Core.Channels;

/// <summary>A file the assistant generated (a chart, a CSV), downloaded and ready to deliver.</summary>
public sealed record OutputFile(string FileName, string MediaType, ReadOnlyMemory<byte> Content)
{
    /// <summary>Size of the content in bytes.</summary>
    public long Length => Content.Length;
}
