using System.Text.Json;
using System.Threading.Channels;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Api;

/// <summary>
/// Streams a thread to a page as server-sent events: first <c>sync</c> (every message, running, status, steps),
/// then <c>message</c> (a message added or grown, the whole text each time), <c>status</c>, <c>state</c>,
/// <c>done</c> (a turn ended, with its status and steps), <c>reset</c> (the visitor moved to a new thread) and
/// <c>closed</c> (a newer stream of the same visitor replaced this one; the page should not reconnect).
/// Every change is delivered, none coalesced. A comment line every 15 seconds keeps proxies from closing an idle stream.
/// </summary>
internal static class EventStream
{
    private static readonly TimeSpan s_ping = TimeSpan.FromSeconds(15);

    public static async Task WriteAsync(HttpContext context, WebThread thread, WebThreadStore threads, StreamRegistry.Registration registration,
        CancellationToken stopping)
    {
        // Writes end with the request or the host; waiting also ends when a newer stream replaces this one.
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(writing.Token, registration.Superseded);
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";

        var events = Channel.CreateUnbounded<WebEvent>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = true });
        ThreadSnapshot? snapshot;
        while ((snapshot = thread.TryWatch(events)) is null)
            thread = await threads.GetAsync(thread.Id, writing.Token).ConfigureAwait(false); // an empty thread was retired meanwhile
        try
        {
            await response.WriteAsync("retry: 2000\n\n", writing.Token).ConfigureAwait(false);
            await WriteEventAsync(response, new WebEvent("sync", snapshot), writing.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(writing.Token).ConfigureAwait(false);
            await PumpAsync(response, events.Reader, waiting.Token, writing.Token).ConfigureAwait(false);
            if (registration.Superseded.IsCancellationRequested && !writing.IsCancellationRequested)
            {
                await WriteEventAsync(response, new WebEvent("closed", new { reason = "too_many_streams" }), writing.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(writing.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (writing.IsCancellationRequested)
        {
        }
        catch (IOException) when (writing.IsCancellationRequested)
        {
        }
        finally
        {
            thread.Unwatch(events);
            threads.Release(thread);
        }
    }

    // Until `waiting` ends: every event as it comes, a ping when there is none for a while.
    private static async Task PumpAsync(HttpResponse response, ChannelReader<WebEvent> events, CancellationToken waiting, CancellationToken writing)
    {
        Task<bool>? next = null;
        Task? ping = null;
        try
        {
            while (!waiting.IsCancellationRequested)
            {
                next ??= events.WaitToReadAsync(waiting).AsTask();
                ping ??= Task.Delay(s_ping, waiting);
                if (await Task.WhenAny(next, ping).ConfigureAwait(false) != next)
                {
                    ping = null;
                    if (waiting.IsCancellationRequested)
                        return;
                    await response.WriteAsync(": ping\n\n", writing).ConfigureAwait(false);
                    await response.Body.FlushAsync(writing).ConfigureAwait(false);
                    continue;
                }

                if (!await next.ConfigureAwait(false))
                    return;
                next = null;
                while (events.TryRead(out var item))
                    await WriteEventAsync(response, item, writing).ConfigureAwait(false);
                await response.Body.FlushAsync(writing).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (waiting.IsCancellationRequested && !writing.IsCancellationRequested)
        {
            // Replaced by a newer stream: the caller says so.
        }
    }

    private static Task WriteEventAsync(HttpResponse response, WebEvent item, CancellationToken cancellationToken) =>
        response.WriteAsync($"event: {item.Type}\ndata: {JsonSerializer.Serialize(item.Data, item.Data.GetType(), WebJson.Options)}\n\n",
            cancellationToken);
}
