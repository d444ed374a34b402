using Microsoft.Extensions.Logging;

namespace Bot.OpenAI;

// Image generation: EventIds 2040–2049.
internal static partial class Log
{
    [LoggerMessage(2040, LogLevel.Warning, "The Assistants API has no image generation: OpenAI:Tools:ImageGeneration is ignored")]
    public static partial void ImageGenerationIgnored(ILogger logger);

    [LoggerMessage(2041, LogLevel.Warning, "Image generation call {CallId} failed at the service ({Reason}); the answer goes on without the image")]
    public static partial void ImageGenerationFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(2042, LogLevel.Warning, "Generated image of call {CallId} is larger than {Limit} bytes decoded; it is not delivered")]
    public static partial void ImageTooLarge(ILogger logger, string callId, long limit);
}
