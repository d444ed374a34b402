using System.Runtime.CompilerServices;
using Bot.Core.Backends;
using Bot.OpenAI.Streaming;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// A response's event stream that survives cuts: when a background response's stream breaks off, or ends without a
/// terminal event, or stalls past the idle timeout, it is opened again after the last event seen
/// (GET /responses/{id}?stream=true&amp;starting_after=N), in a bounded number of tries with backoff, and the events go
/// on as if nothing happened: none repeated, none missing. Only when that fails does it throw
/// <see cref="AssistantFailureException"/> of kind <see cref="FailureKind.StreamCut"/>. It also keeps the turn's
/// <see cref="TurnCheckpoint"/>: the response id, the last sequence number, whether the response can be resumed.
/// </summary>
internal sealed class ResumableResponseStream(ResponseStreams streams, SseEventReader<ResponseStreamEvent> first, bool background,
    TurnCheckpoint? checkpoint, string? responseId, CancellationToken cancellationToken) : IResponseEvents
{
    /// <summary>Resumes tried for one break before the turn fails (progress starts the count again).</summary>
    public const int MaxTries = 5;

    private SseEventReader<ResponseStreamEvent>? _reader = first;
    private string? _responseId = responseId;
    private bool _resumable = background && responseId is not null;
    private long _last = -1;
    private bool _terminal;

    public ResponseStreamEvent Current { get; private set; }

    public string? RunningResponseId => _resumable && !_terminal ? _responseId : null;

    /// <summary>How many times this stream was opened again.</summary>
    public int Resumes { get; private set; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync()
    {
        var tries = 0;
        AssistantFailureException? failure = null;
        while (true)
        {
            if (_reader is { } reader)
            {
                try
                {
                    while (await reader.MoveNextAsync().ConfigureAwait(false))
                    {
                        var next = reader.Current;
                        if (next.Sequence >= 0)
                        {
                            if (next.Sequence <= _last)
                                continue; // already seen before the break
                            _last = next.Sequence;
                        }

                        Observe(next);
                        Current = next;
                        return true;
                    }

                    if (_terminal || !CanResume)
                        return false;
                    failure = null;
                }
                catch (AssistantFailureException e) when (e.Kind is FailureKind.StreamCut or FailureKind.Unreachable && (_terminal || CanResume))
                {
                    // A break after the terminal event loses nothing.
                    if (_terminal)
                        return false;
                    failure = e;
                }
            }

            if (++tries > MaxTries)
            {
                Log.ResumeFailed(streams.Logger, _responseId!, _last, MaxTries, failure);
                throw new AssistantFailureException(FailureKind.StreamCut,
                    $"The stream of response {_responseId} broke off after event {_last} and could not be resumed in {MaxTries} tries.", failure);
            }

            failure = await ReopenAsync(tries, failure).ConfigureAwait(false);
        }
    }

    private bool CanResume => _resumable && _responseId is not null;

    /// <summary>Opens the stream again after the last event seen; returns why that failed, or null.</summary>
    private async Task<AssistantFailureException?> ReopenAsync(int @try, AssistantFailureException? cause)
    {
        Log.ResumingStream(streams.Logger, _responseId!, _last, @try, cause);
        if (_reader is { } old)
        {
            _reader = null;
            await old.DisposeAsync().ConfigureAwait(false);
        }

        // The first try at once (a proxy's cut is over at once), then with growing waits.
        if (@try > 1)
            await Task.Delay(streams.Backoff.Delay(@try - 2), cancellationToken).ConfigureAwait(false);
        try
        {
            _reader = await streams.ResumeAsync(_responseId!, _last >= 0 ? _last : null, cancellationToken).ConfigureAwait(false);
            Resumes++;
            return null;
        }
        catch (AssistantFailureException e)
        {
            // 404 (expired), 5xx, a starting_after the service no longer has: tried again, within the bound.
            return e;
        }
    }

    // Cheap field writes per event; the response id only when a response starts.
    private void Observe(in ResponseStreamEvent next)
    {
        switch (next.Update)
        {
            case StreamingResponseCreatedUpdate created:
                _responseId = created.Response.Id;
                _resumable = background && created.Response.BackgroundModeEnabled != false;
                if (checkpoint is not null)
                {
                    if (!string.Equals(checkpoint.ResponseId, _responseId, StringComparison.Ordinal))
                        checkpoint.ResponseId = _responseId;
                    checkpoint.Resumable = _resumable;
                }

                break;
            case StreamingResponseCompletedUpdate or StreamingResponseIncompleteUpdate or StreamingResponseFailedUpdate or StreamingResponseErrorUpdate:
                _terminal = true;
                break;
        }

        if (checkpoint is not null && next.Sequence >= 0)
            checkpoint.SequenceNumber = next.Sequence;
    }

    public ValueTask DisposeAsync() => _reader?.DisposeAsync() ?? ValueTask.CompletedTask;
}
