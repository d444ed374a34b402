using Bot.Core.Backends;
using Bot.Core.Net;
using Bot.OpenAI.Streaming;
using Microsoft.Extensions.Logging;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>Opens and resumes the response streams of the Responses backend (its client, timeouts and backoff).</summary>
internal sealed class ResponseStreams(ResponsesClient client, OpenAIOptions options, ILogger logger)
{
    public ILogger Logger => logger;

    public Backoff Backoff { get; } = new(options.RetryBaseDelay, TimeSpan.FromSeconds(30));

    /// <summary>Streams a stored response again, from its start (<paramref name="startingAfter"/> null) or after an event.</summary>
    public Task<SseEventReader<ResponseStreamEvent>> ResumeAsync(string responseId, long? startingAfter, CancellationToken cancellationToken) =>
        ResponseEventParser.ResumeAsync(client, responseId, startingAfter, options.NetworkTimeout, options.ImageByteLimit, cancellationToken);

    /// <summary>Wraps a stream just opened, so that it is resumed when it breaks (only a background response can be).</summary>
    public ResumableResponseStream Wrap(SseEventReader<ResponseStreamEvent> reader, bool background, TurnCheckpoint? checkpoint, string? responseId,
        CancellationToken cancellationToken) => new(this, reader, background, checkpoint, responseId, cancellationToken);
}
