using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>One download of a file's content, as the fake served it.</summary>
/// <param name="FileId">The file (`file-…`) or container file (`cfile_…`).</param>
/// <param name="Filename">Its name (a container file's path without its folder).</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="Served">Bytes handed to the connection before the download ended (all of them, or fewer when the client hung up).</param>
public sealed record FakeDownload(string FileId, string Filename, long Bytes, long Served)
{
    /// <summary>True when the whole file went out.</summary>
    public bool Complete => Served == Bytes;
}

/// <summary>
/// Streams file contents in small pieces, as the service does, and records how much of each download went out. A
/// client that stops reading early (a size limit) hangs up, and the rest of a file larger than the connection's
/// buffers then never goes out: the download is not <see cref="FakeDownload.Complete"/>.
/// </summary>
internal sealed class FileDownloads
{
    private const int PieceBytes = 16 * 1024;

    // Past this, pieces go out paced. A client that hung up makes Kestrel's writes succeed without sending anything
    // until it signals RequestAborted; pacing gives that signal time to arrive, so a huge file is never counted as
    // served to a client that left. Ordinary files stay far below this and go out at full speed.
    private const long PacedAfterBytes = 4 * 1024 * 1024;
    private static readonly byte[] s_zeros = new byte[PieceBytes];

    private readonly ConcurrentQueue<FakeDownload> _finished = new();

    /// <summary>When true, contents go out chunked without Content-Length (as some proxies send them).</summary>
    public bool Chunked { get; set; }

    public IReadOnlyList<FakeDownload> Finished => [.. _finished];

    /// <summary>Serves <paramref name="content"/>, or <paramref name="size"/> zero bytes when that is larger.</summary>
    public async Task WriteAsync(HttpContext context, string fileId, string filename, string contentType, byte[] content, long size)
    {
        context.Response.ContentType = contentType;
        if (!Chunked)
        {
            context.Response.ContentLength = size;
        }

        long served = 0;
        try
        {
            while (served < size && !context.RequestAborted.IsCancellationRequested)
            {
                if (served >= PacedAfterBytes)
                {
                    await Task.Delay(1, context.RequestAborted);
                }

                var length = (int)Math.Min(PieceBytes, size - served);
                var piece = served < content.LongLength
                    ? content.AsMemory((int)served, (int)Math.Min(length, content.LongLength - served))
                    : s_zeros.AsMemory(0, length);
                await context.Response.Body.WriteAsync(piece, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                served += piece.Length;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up: what went out so far is the observation.
        }
        finally
        {
            _finished.Enqueue(new FakeDownload(fileId, filename, size, served));
        }
    }
}
