using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/responses: create (streamed or not), get, cancel, delete; one active response per conversation.</summary>
internal sealed partial class ResponseEndpoints(FakeOpenAIState state)
{
    public const string ConversationLockedMessage =
        "Another process is currently operating on this conversation. Please retry in a few seconds.";

    private static readonly TimeSpan s_cutGrace = TimeSpan.FromMilliseconds(200);

    private readonly ResponseValidator _validator = new(state);

    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/responses", CreateAsync);
        v1.MapGet("/responses/{id}", GetAsync);
        v1.MapDelete("/responses/{id}", DeleteAsync);
        v1.MapPost("/responses/{id}/cancel", CancelAsync);
    }

    private static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"Response with id '{id}' not found.");

    private async Task CreateAsync(HttpContext context)
    {
        var body = await OpenAIHttp.ReadBodyAsync(context);
        ParsedResponseRequest request;
        try
        {
            request = ParsedResponseRequest.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        }
        catch (JsonException)
        {
            await OpenAIHttp.BadRequestAsync(context, OpenAIHttp.InvalidJsonMessage);
            return;
        }

        if (!await _validator.ValidateAsync(context, request))
        {
            return;
        }

        var conversation = request.Public.ConversationId is { } conversationId ? state.Conversations.GetValueOrDefault(conversationId) : null;
        if (conversation is null)
        {
            await CreateLockedAsync(context, request, null);
            return;
        }

        int inFlight;
        lock (conversation.Sync)
        {
            inFlight = ++conversation.InFlight;
        }

        state.ObserveInFlight(inFlight);
        try
        {
            await CreateLockedAsync(context, request, conversation);
        }
        finally
        {
            lock (conversation.Sync)
            {
                conversation.InFlight--;
            }
        }
    }

    private async Task CreateLockedAsync(HttpContext context, ParsedResponseRequest request, StoredConversation? conversation)
    {
        var response = new StoredResponse(FakeIds.Response(), FakeOpenAIState.Now(), request);
        if (conversation is not null)
        {
            var locked = false;
            lock (conversation.Sync)
            {
                locked = conversation.ActiveResponseId is not null;
                if (!locked)
                {
                    conversation.ActiveResponseId = response.Id;
                }
            }

            if (locked)
            {
                state.RecordConflict();
                await OpenAIHttp.BadRequestAsync(context, ConversationLockedMessage, "conversation_locked");
                return;
            }
        }

        var handedOff = false;
        try
        {
            request.Public.ResponseId = response.Id;
            state.RecordResponseRequest(request.Public);
            var script = state.NextResponse(request.Public);
            switch (script.Kind)
            {
                case FakeResponseKind.HttpError:
                    state.Settle(response, conversation, completed: false);
                    var error = script.Error!;
                    await OpenAIHttp.WriteErrorAsync(context, error.Status, error.Message, error.Code, retryAfter: error.RetryAfter);
                    break;
                case FakeResponseKind.Replay:
                    await new ResponseReplay(state, context).RunAsync(response, conversation, script.ReplayPath!);
                    break;
                default:
                    handedOff = await RunScriptAsync(context, response, conversation, script);
                    break;
            }
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            // A throwing Responder or a missing fixture: say so in the error body, where a failing test shows it.
            await OpenAIHttp.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, $"The fake OpenAI server failed: {e}");
        }
        finally
        {
            // A background response keeps its conversation until its own run settles it.
            if (!handedOff)
            {
                state.Settle(response, conversation, completed: false);
            }
        }
    }

    /// <summary>Plays a script; returns true when it goes on in the background after this request.</summary>
    private async Task<bool> RunScriptAsync(HttpContext context, StoredResponse response, StoredConversation? conversation, FakeResponse script)
    {
        state.Responses[response.Id] = response;
        var streaming = response.Request.Public.Stream;
        if (response.Request.Public.Background && streaming)
        {
            await StreamInBackgroundAsync(context, response, conversation, script);
            return true;
        }

        if (response.Request.Public.Background && !streaming)
        {
            lock (response.Sync)
            {
                response.Status = "queued";
            }

            await OpenAIHttp.OkAsync(context, response, static (w, r) => r.Write(w));
            _ = Task.Run(() => RunInBackgroundAsync(response, conversation, script));
            return true;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, response.Cancellation.Token, state.Stopping);
        using var sse = streaming ? StartStream(context) : null;
        FakeEnding ending;
        try
        {
            ending = await new ResponseRun(state, response, conversation, script, sse, cancellation.Token).RunAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Cancelled through the API (the stream just ends), the client went away, or the server is stopping.
            lock (response.Sync)
            {
                response.Status = "cancelled";
            }

            return false;
        }

        if (ending.Kind == FakeEndingKind.Cut && (ending.Reset || !streaming))
        {
            // Kestrel hands flushed bytes to the socket asynchronously and an abort drops what is still queued
            // (the client would see a reset before the headers). Give the written events time to leave first.
            await Task.Delay(s_cutGrace, CancellationToken.None);
            context.Abort();
            return false;
        }

        if (!streaming)
        {
            if (ending.Kind == FakeEndingKind.ErrorEvent)
            {
                var error = response.Error!.Value;
                await OpenAIHttp.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, error.Message, error.Code);
                return false;
            }

            await OpenAIHttp.OkAsync(context, response, static (w, r) => r.Write(w));
        }

        return false;
    }

    /// <summary>Runs a background response after its POST returned; GET /responses/{id} shows its progress.</summary>
    private async Task RunInBackgroundAsync(StoredResponse response, StoredConversation? conversation, FakeResponse script)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(response.Cancellation.Token, state.Stopping);
        try
        {
            lock (response.Sync)
            {
                if (response.Status == "queued")
                {
                    response.Status = "in_progress";
                }
            }

            await new ResponseRun(state, response, conversation, script, null, cancellation.Token).RunAsync();
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
            // Nobody awaits this run: a throwing script shows as a failed response to the next poll.
            lock (response.Sync)
            {
                (response.Status, response.Error) = ("failed", ("server_error", $"The fake OpenAI server failed: {e.Message}"));
            }
        }
        finally
        {
            state.Settle(response, conversation, completed: false);
        }
    }

    /// <summary>Sends the SSE headers; events follow through the returned writer.</summary>
    public static SseEventWriter StartStream(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return new SseEventWriter(context.Response.BodyWriter, context.RequestAborted);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (string.Equals(context.Request.Query["stream"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return StreamAgainAsync(context, id);
        }

        return state.Responses.TryGetValue(id, out var response)
            ? OpenAIHttp.OkAsync(context, response, static (w, r) => r.Write(w))
            : NotFoundAsync(context, id);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.Responses.TryRemove(id, out _) ? OpenAIHttp.DeletedAsync(context, id, "response.deleted") : NotFoundAsync(context, id);
    }

    private Task CancelAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Responses.TryGetValue(id, out var response))
        {
            return NotFoundAsync(context, id);
        }

        string status;
        lock (response.Sync)
        {
            status = response.Status;
            if (response.IsActive)
            {
                response.Status = "cancelled";
            }
        }

        if (status is not ("in_progress" or "queued"))
        {
            return OpenAIHttp.BadRequestAsync(context, $"Cannot cancel a response with status '{status}'.", param: "response_id");
        }

        var conversationId = response.Request.Public.ConversationId;
        state.Settle(response, conversationId is null ? null : state.Conversations.GetValueOrDefault(conversationId), completed: false);
        response.Cancellation.Cancel();
        return OpenAIHttp.OkAsync(context, response, static (w, r) => r.Write(w));
    }
}
