using System.Globalization;
using Bot.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Bot.Web.Api;

/// <summary>
/// Guards every API call: the caller must be allowed (<see cref="AccessGate"/>), an address that sent too many wrong
/// keys waits (<see cref="KeyAttemptLimiter"/>), and a call that changes something must carry the <c>X-Bot-Web</c>
/// header, which a page on another site cannot send without a CORS preflight that this API never grants.
/// </summary>
internal sealed class AccessFilter(AccessGate gate, KeyAttemptLimiter attempts, ILogger<AccessFilter> logger) : IEndpointFilter
{
    public const string RequestHeader = "X-Bot-Web";

    // Everything but a message is a few bytes; a message raises its own limit (MessageIntake).
    private const long SmallBodyBytes = 64 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            body.MaxRequestBodySize = SmallBodyBytes;
        if (!HttpMethods.IsGet(http.Request.Method) && !http.Request.Headers.ContainsKey(RequestHeader))
            return Refuse(http, StatusCodes.Status400BadRequest, "header", $"The request lacks the {RequestHeader} header the chat page sends.");

        // POST /api/access checks the key it is given itself (and counts it when wrong).
        var isAccessCall = http.Request.Path.StartsWithSegments("/api/access", StringComparison.Ordinal);
        if (gate.NeedsKey(http) && gate.HasKeys && (isAccessCall || AccessGate.PresentedKey(http) is not null) &&
            attempts.LockedFor(http.Connection.RemoteIpAddress) is { } wait)
            return TooManyAttempts(http, wait);

        var verdict = await gate.CheckAsync(http, http.RequestAborted).ConfigureAwait(false);
        if (verdict == AccessVerdict.KeyWrong && !isAccessCall)
            attempts.Failed(http.Connection.RemoteIpAddress);
        return verdict switch
        {
            AccessVerdict.Allowed => await next(context).ConfigureAwait(false),
            AccessVerdict.LoopbackOnly => Refuse(http, StatusCodes.Status403Forbidden, "loopback_only",
                "This chat only answers on the bot's own machine. The operator can set Web:AccessKeys to let others in."),
            _ when isAccessCall => await next(context).ConfigureAwait(false),
            AccessVerdict.KeyMissing => Refuse(http, StatusCodes.Status401Unauthorized, "access_key", "Enter the access key you were given."),
            AccessVerdict.PassInvalid => Refuse(http, StatusCodes.Status401Unauthorized, "access_key",
                "Your access has expired or was withdrawn. Enter the access key you were given."),
            _ => Refuse(http, StatusCodes.Status401Unauthorized, "access_key", "That access key is not valid."),
        };
    }

    /// <summary>429 with Retry-After: the address sent too many wrong keys and must wait, even with the right one.</summary>
    public IResult TooManyAttempts(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Refuse(http, StatusCodes.Status429TooManyRequests, "too_many_attempts",
            $"Too many wrong access keys came from your address. Try again in {seconds} seconds.");
    }

    private IResult Refuse(HttpContext http, int status, string code, string message)
    {
        Log.Refused(logger, http.Connection.RemoteIpAddress?.ToString(), code);
        return WebApiError.Result(status, code, message);
    }
}
