using Microsoft.Extensions.Logging;

namespace Bot.OpenAI;

// Per-place settings in the backends (event ids 2100–2149).
internal static partial class Log
{
    [LoggerMessage(2100, LogLevel.Warning, "A turn asked for model '{Requested}', which OpenAI:AllowedModels does not list; {Model} answers instead")]
    public static partial void ModelNotAllowed(ILogger logger, string requested, string model);
}
