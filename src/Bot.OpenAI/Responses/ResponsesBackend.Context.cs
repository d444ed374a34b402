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
    private static bool RejectsContextManagement(AssistantFailureException failure) =>
        failure.InnerException is ClientResultException { Status: 400 } rejected
        && rejected.Message.Contains("context_management", StringComparison.Ordinal);
}
