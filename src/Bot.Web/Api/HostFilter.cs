using Bot.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Web.Api;

/// <summary>
/// Guards every route of the chat (page, assets, API, event streams, files) against DNS rebinding and cross-site
/// requests: the Host must be one the chat answers to (<see cref="HostGuard"/>), and a request that changes something
/// and names its Origin must come from the chat's own page or an allowed host.
/// </summary>
internal sealed class HostFilter(HostGuard guard, ILogger<HostFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!guard.IsAllowedHost(http.Request.Host))
            return Refuse(http, StatusCodes.Status400BadRequest, "host", "This chat does not answer to that host name. The operator can add it to Web:AllowedHosts.");

        var origin = http.Request.Headers.Origin.FirstOrDefault();
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && origin is not null &&
            !guard.IsAllowedOrigin(origin, http.Request.Host))
            return Refuse(http, StatusCodes.Status403Forbidden, "origin", "This request came from a page on another site, so it was refused.");

        return await next(context).ConfigureAwait(false);
    }

    // The API answers in JSON; the page and its assets in plain text, which a browser shows as it is.
    private IResult Refuse(HttpContext http, int status, string code, string message)
    {
        Log.Refused(logger, http.Connection.RemoteIpAddress?.ToString(), code);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            ? WebApiError.Result(status, code, message)
            : Results.Text(message, "text/plain; charset=utf-8", statusCode: status);
    }
}
