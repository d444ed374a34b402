using System.Buffers;
using System.IO.Pipelines;

namespace Bot.Testing.OpenAI;

/// <summary>
/// Every SSE frame a background response has produced, in order (frame i has sequence_number i), so that any number of
/// streams can read it from any point (GET /responses/{id}?stream=true&amp;starting_after=N) while it still grows.
/// </summary>
internal sealed class ResponseEventLog
{
    private readonly Lock _sync = new();
    private readonly List<byte[]> _frames = [];
    private TaskCompletionSource _changed = NewSignal();
    private bool _complete;

    /// <summary>A pipe writer that appends one frame per flush (the SSE writer flushes once per event).</summary>
    public PipeWriter Writer => new FrameWriter(this);

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _frames.Count;
            }
        }
    }

    public bool IsComplete
    {
        get
        {
            lock (_sync)
            {
                return _complete;
            }
        }
    }

    /// <summary>Frame <paramref name="index"/>, waiting for it while the response runs; null once it ended without one.</summary>
    public async Task<byte[]?> ReadAsync(int index, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                if (index < _frames.Count)
                {
                    return _frames[index];
                }

                if (_complete)
                {
                    return null;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>No more frames will come (the response ended, however).</summary>
    public void Complete()
    {
        lock (_sync)
        {
            _complete = true;
            Signal();
        }
    }

    private void Append(byte[] frame)
    {
        lock (_sync)
        {
            _frames.Add(frame);
            Signal();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Collects what the SSE writer writes and turns each flush into one frame of the log.</summary>
    private sealed class FrameWriter(ResponseEventLog log) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);

        public override void Advance(int bytes) => _buffer.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (_buffer.WrittenCount > 0)
            {
                log.Append(_buffer.WrittenSpan.ToArray());
                _buffer.ResetWrittenCount();
            }

            return ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
        }
    }
}
