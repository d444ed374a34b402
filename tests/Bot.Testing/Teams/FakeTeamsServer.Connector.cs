using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Teams;

/// <summary>The fake Bot Connector: send, reply, update, delete, with Teams' rate limits and streaming rules (teams.md §2.5, §5).</summary>
public sealed partial class FakeTeamsServer
{
    private readonly List<ConnectorFault> _faults = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _threadWrites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeStream> _streams = new(StringComparer.Ordinal);
    private int _throttled;
    private int _nextId;

    private void MapConnector(WebApplication app)
    {
        app.MapPost("/amer/v3/conversations/{conversationId}/activities", (HttpContext c, string conversationId) => ConnectorAsync(c, "POST", conversationId, null));
        app.MapPost("/amer/v3/conversations/{conversationId}/activities/{activityId}",
            (HttpContext c, string conversationId, string activityId) => ConnectorAsync(c, "POST", conversationId, activityId));
        app.MapPut("/amer/v3/conversations/{conversationId}/activities/{activityId}",
            (HttpContext c, string conversationId, string activityId) => ConnectorAsync(c, "PUT", conversationId, activityId));
        app.MapDelete("/amer/v3/conversations/{conversationId}/activities/{activityId}",
            (HttpContext c, string conversationId, string activityId) => ConnectorAsync(c, "DELETE", conversationId, activityId));
    }

    private async Task<IResult> ConnectorAsync(HttpContext context, string method, string conversationId, string? activityId)
    {
        JsonObject? body = null;
        if (method != "DELETE")
            body = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        var at = DateTimeOffset.UtcNow;
        var probe = new ConnectorRequest(method, conversationId, activityId, body, at, 0);
        var (status, result, retryAfter) = Decide(context, probe);
        if (retryAfter is { } delay)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Record(probe with { Status = status, ResponseId = result?["id"]?.GetValue<string>() });
        return result is null ? Results.StatusCode(status) : Results.Json(result, statusCode: status);
    }

    private (int Status, JsonObject? Body, TimeSpan? RetryAfter) Decide(HttpContext context, ConnectorRequest request)
    {
        if (RequireBotToken ? !HasBotToken(context) : context.Request.Headers.Authorization.Count > 0)
            return (401, Error("Unauthorized", "Authorization has been denied for this request."), null);
        lock (_lock)
        {
            var fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Match(request));
            if (fault is not null)
            {
                fault.Remaining--;
                return (fault.Status, Error(fault.Code ?? (fault.Status == 429 ? "TooManyRequests" : "Error"), fault.Message ?? "Injected fault."), fault.RetryAfter);
            }

            if (EnforceRateLimits && OverThreadLimit(request))
            {
                _throttled++;
                return (429, Error("TooManyRequests", "Too many requests to this thread."), TimeSpan.FromSeconds(1));
            }

            return request.IsStreamRequest ? Stream(request) : Plain(request);
        }
    }

    private (int, JsonObject?, TimeSpan?) Plain(ConnectorRequest request) => request.Method switch
    {
        "POST" => (201, new JsonObject { ["id"] = NewId() }, null),
        "PUT" => (200, new JsonObject { ["id"] = request.ActivityId }, null),
        _ => (200, null, null),
    };

    // teams.md §5.2–5.3: 201 with the stream id for the first request, 202 later; text must grow; one request a second.
    private (int, JsonObject?, TimeSpan?) Stream(ConnectorRequest request)
    {
        var info = request.StreamInfo!;
        var streamId = info["streamId"]?.GetValue<string>();
        var text = request.Text ?? "";
        if (streamId is null)
        {
            if (request.Type != "typing" || text.Length == 0)
                return (400, Error("BadRequest", "Start streaming activities should include text"), null);
            var id = NewId();
            _streams[id] = new FakeStream(request.ConversationId, request.StreamType == "streaming" ? text : "", request.At, request.StreamSequence ?? 0);
            return (201, new JsonObject { ["id"] = id }, null);
        }

        if (!_streams.TryGetValue(streamId, out var stream) || stream.ConversationId != request.ConversationId)
            return (400, Error("BadRequest", "Unknown stream"), null);
        if (stream.Final)
            return (403, Error("ContentStreamNotAllowed", "Content stream is not allowed on an already completed streamed message"), null);
        if (EnforceRateLimits && request.At - stream.LastAt < TimeSpan.FromMilliseconds(985))
        {
            _throttled++;
            return (429, Error("TooManyRequests", "API calls quota exceeded"), TimeSpan.FromSeconds(1));
        }

        stream.LastAt = request.At;
        if (request.StreamType == "final")
        {
            if (request.Type != "message" || info["streamSequence"] is not null)
                return (400, Error("BadRequest", "The final streaming message must be a message without streamSequence"), null);
            stream.Final = true;
            Interlocked.Increment(ref _finals);
            return (202, new JsonObject(), null);
        }

        if (request.StreamSequence is not { } sequence || sequence <= stream.Sequence)
            return (202, Error("ContentStreamSequenceOrderPreConditionFailed", "PreCondition failed"), null);
        stream.Sequence = sequence;
        if (request.StreamType == "streaming")
        {
            if (!text.StartsWith(stream.Text, StringComparison.Ordinal))
                return (403, Error("ContentStreamNotAllowed", "Request streamed content should contain the previously streamed content"), null);
            stream.Text = text;
        }

        return (202, new JsonObject(), null);
    }

    private bool OverThreadLimit(ConnectorRequest request)
    {
        var thread = request.ConversationId.Split(";messageid=")[0];
        if (!_threadWrites.TryGetValue(thread, out var writes))
            _threadWrites[thread] = writes = [];
        writes.RemoveAll(w => request.At - w > TimeSpan.FromSeconds(2));
        if (writes.Count(w => request.At - w < TimeSpan.FromSeconds(1)) >= 7 || writes.Count >= 8)
            return true;
        writes.Add(request.At);
        return false;
    }

    private string NewId() => $"1{Interlocked.Increment(ref _nextId):D12}";

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private sealed class FakeStream(string conversationId, string text, DateTimeOffset lastAt, int sequence)
    {
        public string ConversationId { get; } = conversationId;
        public string Text { get; set; } = text;
        public DateTimeOffset LastAt { get; set; } = lastAt;
        public int Sequence { get; set; } = sequence;
        public bool Final { get; set; }
    }
}
