using Bot.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Web.Api;

/// <summary>
/// Guards every API call: the caller must be allowed (<see cref="AccessGate"/>), and a call that changes
/// something must carry the <c>X-Bot-Web</c> header, which a page on another site cannot send without
/// a CORS preflight that this API never grants.
/// </summary>
internal sealed class AccessFilter(AccessGate gate, ILogger<AccessFilter> logger) : IEndpointFilter
{
    public const string RequestHeader = "X-Bot-Web";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsGet(http.Request.Method) && !http.Request.Headers.ContainsKey(RequestHeader))
            return Refuse(http, StatusCodes.Status400BadRequest, "header", $"The request lacks the {RequestHeader} header the chat page sends.");

        var isAccessCall = http.Request.Path.StartsWithSegments("/api/access", StringComparison.Ordinal);
        var verdict = gate.Check(http);
        return verdict switch
        {
            AccessVerdict.Allowed => await next(context).ConfigureAwait(false),
            AccessVerdict.LoopbackOnly => Refuse(http, StatusCodes.Status403Forbidden, "loopback_only",
                "This chat only answers on the bot's own machine. The operator can set Web:AccessKeys to let others in."),
            _ when isAccessCall => await next(context).ConfigureAwait(false),
            AccessVerdict.KeyMissing => Refuse(http, StatusCodes.Status401Unauthorized, "access_key", "Enter the access key you were given."),
            _ => Refuse(http, StatusCodes.Status401Unauthorized, "access_key", "That access key is not valid."),
        };
    }

    private IResult Refuse(HttpContext http, int status, string code, string message)
    {
        Log.Refused(logger, http.Connection.RemoteIpAddress?.ToString(), code);
        return WebApiError.Result(status, code, message);
    }
}
