using System.Text.Json.Nodes;

namespace Bot.Testing.Teams;

/// <summary>One call the bot made to the fake Bot Connector, with what the fake answered.</summary>
public sealed record ConnectorRequest(string Method, string ConversationId, string? ActivityId, JsonObject? Body, DateTimeOffset At, int Status)
{
    public string? Type => Body?["type"]?.GetValue<string>();

    public string? Text => Body?["text"]?.GetValue<string>();

    /// <summary>The streaminfo entity, if the activity carries one.</summary>
    public JsonObject? StreamInfo => (Body?["entities"] as JsonArray)?.OfType<JsonObject>()
        .FirstOrDefault(e => e["type"]?.GetValue<string>() == "streaminfo");

    public string? StreamType => StreamInfo?["streamType"]?.GetValue<string>();

    public int? StreamSequence => StreamInfo?["streamSequence"]?.GetValue<int>();

    public bool IsStreamRequest => StreamInfo is not null;

    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The activity id the fake answered with (a new message's id, the stream id of a first stream request).</summary>
    public string? ResponseId { get; init; }

    /// <summary>Entities other than streaminfo (citations).</summary>
    public IEnumerable<JsonObject> OtherEntities => (Body?["entities"] as JsonArray)?.OfType<JsonObject>()
        .Where(e => e["type"]?.GetValue<string>() != "streaminfo") ?? [];

    public IEnumerable<JsonObject> Attachments => (Body?["attachments"] as JsonArray)?.OfType<JsonObject>() ?? [];
}

/// <summary>A scripted failure of the fake Connector.</summary>
internal sealed record ConnectorFault(Func<ConnectorRequest, bool> Match, int Status, string? Code, string? Message, TimeSpan? RetryAfter)
{
    public int Remaining { get; set; } = 1;
}
