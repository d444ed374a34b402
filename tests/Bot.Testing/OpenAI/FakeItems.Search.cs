using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>
/// A `web_search_call` output item (WebSearchToolCall): `in_progress` while it streams, then `completed` or `failed`,
/// with a `search` action naming the query.
/// </summary>
internal sealed class WebSearchCallItem(string id, string query, bool failed) : FakeItem(id, "web_search_call")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString(JsonNames.Status, !Done ? "in_progress" : failed ? "failed" : "completed");
        writer.WriteStartObject("action");
        writer.WriteString(JsonNames.Type, "search");
        writer.WriteString("query", query);
        writer.WriteStartArray("queries");
        writer.WriteStringValue(query);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>A `compaction` output item (CompactionBody): the compacted conversation, opaque to the client.</summary>
internal sealed class CompactionItem(string id) : FakeItem(id, "compaction")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString("encrypted_content", "gAAAAAB-fake-compacted-conversation");
        writer.WriteEndObject();
    }
}
