using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;

namespace Bot.OpenAI;

/// <summary>
/// Reads a generated file's content (a container file, a Files API file) within a size limit: the response is not
/// buffered by the SDK, a size announced over the limit is not read at all, and reading stops as soon as the limit is
/// passed, so a huge or endless file never sits whole in memory.
/// </summary>
internal static class OutputFileContent
{
    private const int ReadBufferBytes = 81920;

    /// <summary>
    /// Runs the SDK's protocol download method with an unbuffered response and reads it. Returns the content, or null
    /// when the file is larger than <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Func<RequestOptions, Task<ClientResult>> download, long maxBytes,
        CancellationToken cancellationToken)
    {
        var options = new RequestOptions { BufferResponse = false, CancellationToken = cancellationToken };
        var result = await download(options).ConfigureAwait(false);
        using var response = result.GetRawResponse();
        long? announced = response.Headers.TryGetValue("Content-Length", out var header)
            && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        if (announced > maxBytes)
            return null;

        var stream = response.ContentStream;
        if (stream is null)
            return ReadOnlyMemory<byte>.Empty;
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, maxBytes, announced, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end, or returns null once it has given more than <paramref name="maxBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream stream, long maxBytes, long? announced, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream((int)Math.Min(announced ?? ReadBufferBytes, maxBytes));
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (content.Length + read > maxBytes)
                    return null;
                content.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return content.TryGetBuffer(out var written) ? written.AsMemory() : content.ToArray();
    }
}
