using System.Text.Json;
using System.Threading.Channels;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Api;

/// <summary>
/// Streams a thread to a page as server-sent events: first <c>sync</c> (every message, running, status),
/// then <c>message</c> (a message added or grown, the whole text each time), <c>status</c>, <c>state</c>,
/// <c>done</c> (a turn ended, with its status) and <c>reset</c> (the visitor moved to a new thread).
/// A comment line every 15 seconds keeps proxies from closing an idle stream.
/// </summary>
internal static class EventStream
{
    private static readonly TimeSpan s_ping = TimeSpan.FromSeconds(15);

    public static async Task WriteAsync(HttpContext context, WebThread thread, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellationToken = linked.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";

        var events = Channel.CreateUnbounded<WebEvent>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = true });
        var snapshot = thread.Watch(events);
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cancellationToken).ConfigureAwait(false);
            await WriteEventAsync(response, new WebEvent("sync", snapshot), cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

            Task<bool>? waiting = null;
            Task? ping = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                waiting ??= events.Reader.WaitToReadAsync(cancellationToken).AsTask();
                ping ??= Task.Delay(s_ping, cancellationToken);
                if (await Task.WhenAny(waiting, ping).ConfigureAwait(false) != waiting)
                {
                    ping = null;
                    await response.WriteAsync(": ping\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!await waiting.ConfigureAwait(false))
                    break;
                waiting = null;
                while (events.Reader.TryRead(out var item))
                    await WriteEventAsync(response, item, cancellationToken).ConfigureAwait(false);
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested || context.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            thread.Unwatch(events);
        }
    }

    private static Task WriteEventAsync(HttpResponse response, WebEvent item, CancellationToken cancellationToken) =>
        response.WriteAsync($"event: {item.Type}\ndata: {JsonSerializer.Serialize(item.Data, item.Data.GetType(), WebJson.Options)}\n\n",
            cancellationToken);
}
