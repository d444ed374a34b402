using System.ClientModel;
using Bot.Core.Backends;
using Bot.OpenAI.Streaming;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Long conversations: every request asks for server-side compaction (<c>OpenAI:CompactThreshold</c>). An endpoint
/// that rejects the parameter (a compatible server without it) gets the same request again with <c>truncation: auto</c>,
/// and only that from then on.
/// </summary>
public sealed partial class ResponsesBackend
{
    private const string DefaultEndpoint = "https://api.openai.com/v1";

    // 1 once the endpoint rejected context_management; kept for the process lifetime.
    private int _compactionRejected;

    private bool CompactionRejected => Volatile.Read(ref _compactionRejected) == 1;

    /// <summary>Sends the request with compaction (or, once rejected, truncation) and returns its event stream.</summary>
    private async Task<SseEventReader<ResponseStreamEvent>> OpenStreamAsync(CreateResponseOptions options, CancellationToken cancellationToken)
    {
        var threshold = CompactionRejected ? 0 : Options.CompactThreshold;
        try
        {
            using var content = ResponseRequestBody.Create(options, threshold);
            return await ResponseEventParser.OpenAsync(Clients.Responses, content, Options.NetworkTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AssistantFailureException e) when (threshold > 0 && RejectsContextManagement(e))
        {
            if (Interlocked.Exchange(ref _compactionRejected, 1) == 0)
                Log.CompactionUnsupported(_logger, Options.Endpoint ?? DefaultEndpoint);
        }

        options.TruncationMode = ResponseTruncationMode.Auto;
        using var truncated = ResponseRequestBody.Create(options, compactThreshold: 0);
        return await ResponseEventParser.OpenAsync(Clients.Responses, truncated, Options.NetworkTimeout, cancellationToken).ConfigureAwait(false);
    }

    // What the request asks of the conversation's length: nothing here while compaction works (the body adds it).
    private void LimitContext(CreateResponseOptions options)
    {
        if (Options.CompactThreshold > 0 && CompactionRejected)
            options.TruncationMode = ResponseTruncationMode.Auto;
    }

    // A 400 naming the parameter ("Unknown parameter: 'context_management'."), as a server without compaction answers.
    private static bool RejectsContextManagement(AssistantFailureException failure) =>
        failure.InnerException is ClientResultException { Status: 400 } rejected
        && rejected.Message.Contains("context_management", StringComparison.Ordinal);
}
