using System.Net;

namespace Bot.Discord.Rest;

/// <summary>Discord refused a REST request (a 4xx other than a 429 it could wait out, or a 5xx after retries).</summary>
public sealed class DiscordApiException(HttpStatusCode status, int code, string message)
    : Exception($"Discord answered {(int)status}: {message} (code {code})")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 50013 missing permissions); 0 when the body had none.</summary>
    public int Code { get; } = code;
}
