namespace Bot.Core.Attachments;

/// <summary>Thrown while reading an attachment that turns out larger than its limit.</summary>
public sealed class AttachmentTooLargeException(long limit)
    : IOException($"The file is larger than {AttachmentPolicy.FormatSize(limit)}.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// A read-only stream over a download that stops with <see cref="AttachmentTooLargeException"/> once
/// more than the limit has been read, so that a file whose size the platform did not tell (or lied
/// about) is never read in full. It owns the inner stream and, when given, what the stream comes from (an HTTP
/// response), and disposes both.
/// </summary>
internal sealed class SizeLimitedStream(Stream inner, long limit, IDisposable? owner = null) : Stream
{
    private long _read;

    public long BytesRead => _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        EnsureWithinLimit();
        return Count(inner.Read(buffer, offset, count));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWithinLimit();
        return Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        owner?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Count(int read)
    {
        _read += read;
        EnsureWithinLimit();
        return read;
    }

    // Once past the limit, nothing more is read from the download.
    private void EnsureWithinLimit()
    {
        if (_read > limit)
            throw new AttachmentTooLargeException(limit);
    }
}
