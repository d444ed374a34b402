using System.ClientModel;
using Bot.Core.Backends;
using Bot.OpenAI.Streaming;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Long conversations: every request asks for server-side compaction (<c>OpenAI:CompactThreshold</c>). An endpoint
/// that rejects the parameter (a compatible server without it) gets the same request again with <c>truncation: auto</c>,
/// and only that from then on. Likewise every request asks for a background response (<c>OpenAI:Background</c>), whose
/// stream can be resumed; an endpoint that rejects it gets plain streaming from then on.
/// </summary>
public sealed partial class ResponsesBackend
{
    private const string DefaultEndpoint = "https://api.openai.com/v1";

    // 1 once the endpoint rejected context_management; kept for the process lifetime.
    private int _compactionRejected;

    // 1 once the endpoint rejected background: true; kept for the process lifetime.
    private int _backgroundRejected;

    private bool CompactionRejected => Volatile.Read(ref _compactionRejected) == 1;

    private bool BackgroundRejected => Volatile.Read(ref _backgroundRejected) == 1;

    /// <summary>
    /// Sends the request as a background response where the endpoint takes one (else plainly streamed) and returns its
    /// event stream, which is resumed after a cut and keeps <paramref name="checkpoint"/>.
    /// </summary>
    private async Task<IResponseEvents> OpenStreamAsync(CreateResponseOptions options, TurnCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        var background = Options.Background && !BackgroundRejected;
        options.BackgroundModeEnabled = background ? true : null;
        SseEventReader<ResponseStreamEvent> reader;
        try
        {
            reader = await OpenPlainStreamAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (AssistantFailureException e) when (background && Rejects(e, "background"))
        {
            if (Interlocked.Exchange(ref _backgroundRejected, 1) == 0)
                Log.BackgroundUnsupported(_logger, Options.Endpoint ?? DefaultEndpoint);
            background = false;
            options.BackgroundModeEnabled = null;
            reader = await OpenPlainStreamAsync(options, cancellationToken).ConfigureAwait(false);
        }

        if (checkpoint is not null)
            checkpoint.Resumable = background;
        return _streams.Wrap(reader, background, checkpoint, responseId: null, cancellationToken);
    }

    /// <summary>Sends the request with compaction (or, once rejected, truncation) and returns its event stream.</summary>
    private async Task<SseEventReader<ResponseStreamEvent>> OpenPlainStreamAsync(CreateResponseOptions options, CancellationToken cancellationToken)
    {
        var threshold = Options.CompactThreshold;
        if (threshold > 0 && !CompactionRejected)
        {
            try
            {
                using var content = ResponseRequestBody.Create(options, threshold);
                return await ResponseEventParser.OpenAsync(Clients.Responses, content, Options.NetworkTimeout, Options.ImageByteLimit, cancellationToken).ConfigureAwait(false);
            }
            catch (AssistantFailureException e) when (RejectsContextManagement(e))
            {
                if (Interlocked.Exchange(ref _compactionRejected, 1) == 0)
                    Log.CompactionUnsupported(_logger, Options.Endpoint ?? DefaultEndpoint);
            }
        }

        if (threshold > 0)
            options.TruncationMode = ResponseTruncationMode.Auto;
        using var body = ResponseRequestBody.Create(options, compactThreshold: 0);
        return await ResponseEventParser.OpenAsync(Clients.Responses, body, Options.NetworkTimeout, Options.ImageByteLimit, cancellationToken).ConfigureAwait(false);
    }

    // A 400 naming the parameter ("Unknown parameter: 'context_management'."), as a server without compaction answers.
    private static bool RejectsContextManagement(AssistantFailureException failure) => Rejects(failure, "context_management");

    // A 400 (or 422, as some compatible servers answer an unknown field) naming the parameter.
    private static bool Rejects(AssistantFailureException failure, string parameter) =>
        failure.InnerException is ClientResultException { Status: 400 or 422 } rejected
        && rejected.Message.Contains(parameter, StringComparison.Ordinal);
}
