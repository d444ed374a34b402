using Bot.Core.Conversations;
using Bot.Web.Access;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bot.Web.Api;

/// <summary>
/// The page and its API. Every route checks the Host (and a change's Origin) first; every thread route checks that
/// the thread is the caller's; another visitor's thread answers 404 as if it did not exist.
/// </summary>
internal static partial class WebChatEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var chat = endpoints.MapGroup("").AddEndpointFilter<HostFilter>();
        StaticAssets.Map(chat);

        var api = chat.MapGroup("/api").AddEndpointFilter<AccessFilter>();
        api.MapPost("/access", Access);
        api.MapGet("/session", SessionAsync);
        api.MapGet("/usage", UsageAsync);
        var thread = api.MapGroup("/threads/{thread}");
        thread.MapGet("", HistoryAsync);
        thread.MapGet("/events", EventsAsync);
        thread.MapPost("/messages", SendAsync);
        thread.MapPost("/stop", StopAsync);
        thread.MapPost("/reset", ResetAsync);
        thread.MapGet("/files/{fileId}", FileAsync);
        thread.MapPost("/approvals/{approval}", AnswerApprovalAsync);
    }

    // A key entered on the page: proven by an HttpOnly cookie when it is valid (the cookie never holds the key itself).
    // A wrong one counts towards its address's limit of wrong keys.
    private static async Task<IResult> Access(HttpContext context, AccessGate gate, KeyAttemptLimiter attempts)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        var key = form?["key"].FirstOrDefault() ?? AccessGate.PresentedKey(context);
        if (!gate.IsValidKey(key))
        {
            if (!string.IsNullOrEmpty(key))
                attempts.Failed(context.Connection.RemoteIpAddress);
            return WebApiError.Result(StatusCodes.Status401Unauthorized, "access_key", "That access key is not valid.");
        }

        await gate.RememberKeyAsync(context, key!, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> SessionAsync(HttpContext context, VisitorDirectory visitors, IOptions<WebChatOptions> options)
    {
        var thread = await visitors.CurrentThreadAsync(context, VisitorDirectory.Visitor(context), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { thread, title = options.Value.Title }, WebJson.Options);
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, string thread, VisitorDirectory visitors, WebThreadStore threads)
    {
        var found = await FindAsync(context, thread, visitors, threads).ConfigureAwait(false);
        if (found is null)
            return NotFound();
        var snapshot = found.Snapshot();
        threads.Release(found);
        return Results.Json(snapshot, WebJson.Options);
    }

    private static async Task EventsAsync(HttpContext context, string thread, VisitorDirectory visitors, WebThreadStore threads,
        StreamRegistry streams, IHostApplicationLifetime lifetime)
    {
        var found = await FindAsync(context, thread, visitors, threads).ConfigureAwait(false);
        if (found is null)
        {
            await NotFound().ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var registration = streams.Open(VisitorDirectory.Visitor(context));
        await EventStream.WriteAsync(context, found, threads, registration, lifetime.ApplicationStopping).ConfigureAwait(false);
    }

    private static async Task<IResult> SendAsync(HttpContext context, string thread, VisitorDirectory visitors, WebThreadStore threads,
        MessageIntake intake)
    {
        var found = await FindAsync(context, thread, visitors, threads).ConfigureAwait(false);
        return found is null
            ? NotFound()
            : await intake.SendAsync(context, found, VisitorDirectory.Visitor(context), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> StopAsync(HttpContext context, string thread, VisitorDirectory visitors, WebThreadStore threads,
        ConversationService conversations)
    {
        var found = await FindAsync(context, thread, visitors, threads).ConfigureAwait(false);
        if (found is null)
            return NotFound();
        // The turn may run on another instance on the same store: the stop reaches it through the store.
        var stopped = await conversations.StopTurnAsync(new ConversationKey(WebChannel.ChannelName, found.Id), context.RequestAborted)
            .ConfigureAwait(false);
        return Results.Json(new { stopped }, WebJson.Options);
    }

    // New conversation: the core stops and forgets the old one (and deletes what it created remotely),
    // the visitor gets a new thread, and the old thread's folder is removed. All of it on the host's token, not the
    // request's: a tab closed half-way must not leave remote objects behind or the visitor between two threads.
    private static async Task<IResult> ResetAsync(HttpContext context, string thread, VisitorDirectory visitors, WebThreadStore threads,
        ConversationService conversations, IHostApplicationLifetime lifetime)
    {
        var stopping = lifetime.ApplicationStopping;
        var found = await FindAsync(context, thread, visitors, threads, stopping).ConfigureAwait(false);
        if (found is null)
            return NotFound();
        var visitor = VisitorDirectory.Visitor(context);
        await conversations.ResetAsync(new ConversationKey(WebChannel.ChannelName, found.Id), stopping).ConfigureAwait(false);
        var next = await visitors.NewThreadAsync(visitor, stopping).ConfigureAwait(false);
        await visitors.ForgetAsync(visitor, found.Id, stopping).ConfigureAwait(false);
        found.Replaced(next);
        await threads.DeleteAsync(found.Id, stopping).ConfigureAwait(false);
        return Results.Json(new { thread = next }, WebJson.Options);
    }

    // Generated files come from the bot's own folder. Only raster images are shown inline; everything
    // else (SVG and HTML included) is a download, sandboxed in case a browser opens it anyway.
    private static async Task<IResult> FileAsync(HttpContext context, string thread, string fileId, VisitorDirectory visitors, WebThreadStore threads)
    {
        var found = await FindAsync(context, thread, visitors, threads).ConfigureAwait(false);
        var file = found?.FindFile(fileId);
        var stream = file is null ? null : WebThreadStore.OpenOutput(found!, fileId);
        if (stream is null)
            return NotFound();

        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        context.Response.Headers.CacheControl = "private, max-age=86400";
        var inline = file!.MediaType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";
        return inline
            ? Results.Stream(stream, file.MediaType)
            : Results.Stream(stream, "application/octet-stream", fileDownloadName: file.Name);
    }

    private static async Task<WebThread?> FindAsync(HttpContext context, string thread, VisitorDirectory visitors, WebThreadStore threads,
        CancellationToken? cancellationToken = null)
    {
        var token = cancellationToken ?? context.RequestAborted;
        var visitor = VisitorDirectory.Visitor(context);
        if (!await visitors.OwnsAsync(visitor, thread, token).ConfigureAwait(false))
            return null;
        return await threads.GetAsync(thread, token).ConfigureAwait(false);
    }

    private static IResult NotFound() => WebApiError.Result(StatusCodes.Status404NotFound, "not_found", "There is no such conversation.");
}
