using System.Net;
using System.Text.Json;
using Bot.Teams.Adapter;
using Bot.Teams.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Teams;

/// <summary>
/// <c>POST /api/messages</c>: reads the activity, validates the caller's token (or, in local mode, that the caller is
/// on this machine), then hands it to the handler and answers at once. A rejected request starts nothing.
/// </summary>
internal sealed class TeamsEndpoint(TeamsOptions options, InboundAuthenticator authenticator, TeamsActivityHandler handler, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (!options.Authenticated && !IsLoopback(context.Connection.RemoteIpAddress))
        {
            await RejectAsync(context, AuthOutcome.Unauthorized("local mode accepts loopback callers only")).ConfigureAwait(false);
            return;
        }

        if (options.Authenticated && authorization.Length == 0)
        {
            await RejectAsync(context, AuthOutcome.Unauthorized("no Authorization header")).ConfigureAwait(false);
            return;
        }

        Activity? activity;
        try
        {
            if (request.ContentLength > options.MaxActivityBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            if (body.Length > options.MaxActivityBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            activity = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), TeamsJson.Default.Activity);
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity?.Type is null || activity.Conversation?.Id is null
            || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || !LoopbackHttp.IsAllowed(serviceUrl))
        {
            Log.BadActivity(logger);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (options.Authenticated)
        {
            var outcome = await authenticator.AuthenticateAsync(authorization, activity.ChannelId, activity.ServiceUrl, context.RequestAborted)
                .ConfigureAwait(false);
            if (!outcome.IsAccepted)
            {
                await RejectAsync(context, outcome).ConfigureAwait(false);
                return;
            }
        }

        var response = await handler.HandleAsync(activity).ConfigureAwait(false);
        context.Response.StatusCode = response.Status;
        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(response.Body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task RejectAsync(HttpContext context, AuthOutcome outcome)
    {
        Log.Rejected(logger, outcome.Status, outcome.Reason, context.Connection.RemoteIpAddress?.ToString());
        context.Response.StatusCode = outcome.Status;
        return Task.CompletedTask;
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
