using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>
/// Streamed background responses (`background: true, stream: true`): generated apart from any connection into a
/// <see cref="ResponseEventLog"/>, which the creating request and every GET /responses/{id}?stream=true (from the start,
/// or after `starting_after`) read, live while it runs. Streams are cut on demand (<see cref="FakeOpenAIState.TakeStreamCut"/>).
/// </summary>
internal sealed partial class ResponseEndpoints
{
    private async Task StreamInBackgroundAsync(HttpContext context, StoredResponse response, StoredConversation? conversation, FakeResponse script)
    {
        var log = new ResponseEventLog();
        lock (response.Sync)
        {
            response.Events = log;
        }

        _ = Task.Run(() => GenerateAsync(response, conversation, script, log));
        await TailAsync(context, response, log, startingAfter: -1);
    }

    /// <summary>Generates the response whoever listens; a client that goes away does not stop it, a cancel does.</summary>
    private async Task GenerateAsync(StoredResponse response, StoredConversation? conversation, FakeResponse script, ResponseEventLog log)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(response.Cancellation.Token, state.Stopping);
        using var sse = new SseEventWriter(log.Writer, CancellationToken.None);
        try
        {
            await new ResponseRun(state, response, conversation, script, sse, cancellation.Token).RunAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            lock (response.Sync)
            {
                response.Status = "cancelled";
            }
        }
        catch (Exception e)
        {
            lock (response.Sync)
            {
                (response.Status, response.Error) = ("failed", ("server_error", $"The fake OpenAI server failed: {e.Message}"));
            }
        }
        finally
        {
            log.Complete();
            state.Settle(response, conversation, completed: false);
        }
    }

    /// <summary>GET /responses/{id}?stream=true[&amp;starting_after=N]: the stored events after N, then the live ones.</summary>
    private async Task StreamAgainAsync(HttpContext context, string id)
    {
        if (!state.Responses.TryGetValue(id, out var response))
        {
            await NotFoundAsync(context, id);
            return;
        }

        long? startingAfter = null;
        if (context.Request.Query.TryGetValue("starting_after", out var raw))
        {
            if (!long.TryParse(raw, out var parsed) || parsed < 0)
            {
                await OpenAIHttp.BadRequestAsync(context, $"Invalid 'starting_after': '{raw}'. Expected a non-negative integer.", "invalid_value", "starting_after");
                return;
            }

            startingAfter = parsed;
        }

        state.RecordResume(id, startingAfter);
        var log = response.Events;
        if (log is null)
        {
            await OpenAIHttp.BadRequestAsync(context, "This response cannot be streamed because it was not created with background=true.",
                "invalid_request_error", "stream");
            return;
        }

        var stored = state.LoseStoredEvents ? 0 : log.Count;
        if (startingAfter is { } after && after >= stored && (log.IsComplete || state.LoseStoredEvents))
        {
            await OpenAIHttp.BadRequestAsync(context, $"'starting_after' {after} is beyond the last event of response {id} ({stored - 1}).",
                "invalid_value", "starting_after");
            return;
        }

        await TailAsync(context, response, log, startingAfter ?? -1);
    }

    /// <summary>Streams the log's frames after <paramref name="startingAfter"/>, cut after as many events as asked.</summary>
    private async Task TailAsync(HttpContext context, StoredResponse response, ResponseEventLog log, long startingAfter)
    {
        var cutAfter = state.TakeStreamCut();
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping);
        using var sse = StartStream(context);
        var sent = 0;
        try
        {
            for (var index = checked((int)(startingAfter + 1)); ; index++)
            {
                var frame = await log.ReadAsync(index, gone.Token);
                if (frame is null)
                {
                    return;
                }

                await sse.WriteRawAsync(frame);
                if (sent == 0 && Interlocked.Exchange(ref response.CutAtTimestamp, 0) is var cutAt and not 0)
                {
                    state.RecordResumeGap(Stopwatch.GetElapsedTime(cutAt));
                }

                if (cutAfter is { } events && ++sent >= events)
                {
                    if (state.CutByReset)
                    {
                        // As for a scripted cut: let the written events leave before the connection drops.
                        await Task.Delay(s_cutGrace, CancellationToken.None);
                        context.Abort();
                    }

                    Volatile.Write(ref response.CutAtTimestamp, Stopwatch.GetTimestamp());
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away (or the fake stops): the response goes on.
        }
    }
}
