using System.Buffers;
using Bot.Core.Storage;
using Bot.Teams.Adapter;
using Bot.Teams.Auth;
using Bot.Teams.Connector;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Bot.Teams;

/// <summary>
/// <c>POST /api/messages</c>. First what the headers alone decide: the caller's token (or, in local mode, that the
/// request comes from and is meant for this machine) and the declared size, before a byte of the body is read.
/// Then the body, at most <see cref="TeamsOptions.MaxActivityBytes"/> of it; then the activity: its serviceUrl
/// (<see cref="ServiceUrlPolicy"/>), what the token says about it, its tenant. Only then does the handler see it
/// and the endpoint answer. A refused request stores and starts nothing.
/// </summary>
internal sealed class TeamsEndpoint(TeamsOptions options, InboundAuthenticator authenticator, ServiceUrlPolicy serviceUrls,
    TeamsActivityHandler handler, ILogger<TeamsEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        // Kestrel holds the body to the same limit: it stops a streamed body there (also one it would drain after an early
        // answer) and drops the connection rather than reading on. ReadBodyAsync keeps the limit on other servers.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = options.MaxActivityBytes;

        VerifiedToken? token = null;
        if (options.Authenticated)
        {
            var (verified, outcome) = await authenticator.VerifyTokenAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted)
                .ConfigureAwait(false);
            if (verified is null)
            {
                Reject(context, outcome);
                return;
            }

            token = verified;
        }
        else if (LocalCallers.Refusal(context) is { } refusal)
        {
            Reject(context, refusal);
            return;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            Reject(context, new AuthOutcome(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxActivityBytes} bytes"));
            return;
        }

        if (Parse(body) is not { } activity)
        {
            Log.BadActivity(logger);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (Refusal(activity, token) is { } refused)
        {
            Reject(context, refused);
            return;
        }

        ActivityResponse response;
        try
        {
            response = await handler.HandleAsync(activity).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreFaults.IsUnavailable(ex) || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            // Not stored (the store is unreachable, or the host is stopping): never 200, so that the Bot Connector
            // delivers the activity again, here once the store is back or at another instance.
            Log.NotStored(logger, activity.Type, ex);
            SetStatus(context, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        context.Response.StatusCode = response.Status;
        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(response.Body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    // What the activity itself must pass: a usable serviceUrl, a token that speaks for it, a tenant that is served.
    private AuthOutcome? Refusal(Activity activity, VerifiedToken? token)
    {
        if (!ActivityTenant.TryResolve(activity, out var tenant))
            return AuthOutcome.BadRequest("the activity names two tenants, or a tenant that is not a plain id");
        if (serviceUrls.Refusal(activity.ServiceUrl) is { } refused)
            return refused;
        if (token is not null && InboundAuthenticator.CheckActivity(token, activity.ChannelId, activity.ServiceUrl, tenant) is { IsAccepted: false } outcome)
            return outcome;
        if (options.AllowedTenantIds.Count > 0 && (tenant is null || !options.AllowedTenantIds.Contains(tenant, StringComparer.OrdinalIgnoreCase)))
            return AuthOutcome.Forbidden($"tenant '{tenant}' is not in Teams:AllowedTenantIds");
        return null;
    }

    // Null when the body is over the limit: a declared length is refused unread, a streamed body is abandoned there.
    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var limit = options.MaxActivityBytes;
        if (context.Request.ContentLength > limit)
            return null;
        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var read = await context.Request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1 - body.Length)), context.RequestAborted)
                    .ConfigureAwait(false);
                if (read == 0)
                    return body.ToArray();
                body.Write(chunk, 0, read);
                if (body.Length > limit)
                    return null;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static Activity? Parse(byte[] body)
    {
        try
        {
            var activity = JsonSerializer.Deserialize(body, TeamsJson.Default.Activity);
            return activity?.Type is null || activity.Conversation?.Id is null ? null : activity;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Reject(HttpContext context, AuthOutcome outcome)
    {
        Log.Rejected(logger, outcome.Status, outcome.Reason, context.Connection.RemoteIpAddress?.ToString());
        SetStatus(context, outcome.Status);
    }

    // A 503 says when to deliver again.
    private static void SetStatus(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = ((int)StoreFaults.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
